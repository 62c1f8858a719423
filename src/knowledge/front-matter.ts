import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Section } from './schemas.js';

export interface ParsedMarkdown {
  data: unknown;
  sections: Section[];
  /** Line (1-based, in the file) of a front-matter field, for `path:line:` messages. */
  lineOf: (path: ReadonlyArray<PropertyKey>) => number;
  /** Line of the first body line. */
  bodyStartLine: number;
}

export class FrontMatterError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Splits a knowledge file into YAML front matter (with line positions) and `##` body sections. */
export function parseMarkdownEntry(text: string): ParsedMarkdown {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    throw new FrontMatterError('the file must start with a line "---" followed by YAML front matter', 1);
  }
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end === -1)
    throw new FrontMatterError('the front matter is never closed — add a line "---" after it', 1);

  const yamlText = lines.slice(1, end).join('\n');
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line + 1;
    throw new FrontMatterError(
      `the front matter is not valid YAML (${firstError.message.split('\n')[0]})`,
      line,
    );
  }

  const lineOf = (path: ReadonlyArray<PropertyKey>): number => {
    // A missing field has no node: fall back to its nearest existing parent.
    for (let length = path.length; length > 0; length -= 1) {
      const node = document.getIn(path.slice(0, length) as unknown[], true) as
        { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line + 1;
    }
    return 2;
  };

  return {
    data: document.toJS(),
    sections: splitSections(lines.slice(end + 1)),
    lineOf,
    bodyStartLine: end + 2,
  };
}

function splitSections(bodyLines: string[]): Section[] {
  const sections: Section[] = [];
  let current: Section | undefined;
  for (const line of bodyLines) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading && !line.startsWith('###')) {
      current = { heading: heading[1]!, text: '' };
      sections.push(current);
    } else if (current) {
      current.text += `${line}\n`;
    } else if (line.trim()) {
      current = { heading: '', text: `${line}\n` };
      sections.push(current);
    }
  }
  return sections
    .map((section) => ({ heading: section.heading, text: section.text.trim() }))
    .filter((s) => s.text);
}
