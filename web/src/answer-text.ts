import type { AnswerBody } from '../../adapters/web/api-schemas.js';
import { externalLink, h } from './dom.js';

// The answer's Markdown, as DOM: paragraphs, bullet lists, **bold**, and [n] as a link to source n.
// Only this small subset is read; anything else stays plain text.

type Citation = AnswerBody['citations'][number];

function inline(text: string, citations: Citation[]): Node[] {
  const nodes: Node[] = [];
  const pattern = /\*\*(.+?)\*\*|\[(\d+)\]/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    if (match[1] !== undefined) nodes.push(h('strong', {}, match[1]));
    else {
      const number = Number(match[2]);
      const citation = citations[number - 1];
      nodes.push(
        citation
          ? h(
              'sup',
              { class: 'citation' },
              externalLink(citation.url, `[${number}]`, `Source ${number}: ${citation.title}`),
            )
          : document.createTextNode(match[0]),
      );
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

const bullet = /^\s*[-*] /;
const numbered = /^\s*\d+\. /;

/** Renders answer text (possibly still being written) into block elements. */
export function renderAnswerText(text: string, citations: Citation[]): Node[] {
  const blocks: Node[] = [];
  let list: HTMLElement | undefined;
  let paragraph: HTMLElement | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim()) {
      list = paragraph = undefined;
      continue;
    }
    const kind = bullet.test(line) ? 'ul' : numbered.test(line) ? 'ol' : undefined;
    if (kind) {
      paragraph = undefined;
      if (!list || list.tagName.toLowerCase() !== kind) blocks.push((list = h(kind)));
      list.append(h('li', {}, ...inline(line.replace(kind === 'ul' ? bullet : numbered, ''), citations)));
      continue;
    }
    list = undefined;
    if (paragraph) paragraph.append(h('br'), ...inline(line, citations));
    else blocks.push((paragraph = h('p', {}, ...inline(line, citations))));
  }
  return blocks;
}
