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

/** Renders answer text (possibly still being written) into block elements. */
export function renderAnswerText(text: string, citations: Citation[]): Node[] {
  const blocks: Node[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const lines = block.split('\n').filter((line) => line.trim());
    if (lines.length === 0) continue;
    const items = lines.filter((line) => /^\s*[-*] /.test(line));
    const intro = lines.filter((line) => !/^\s*[-*] /.test(line));
    if (intro.length > 0) {
      const paragraph = h('p');
      intro.forEach((line, index) => {
        if (index > 0) paragraph.append(h('br'));
        paragraph.append(...inline(line, citations));
      });
      blocks.push(paragraph);
    }
    if (items.length > 0)
      blocks.push(
        h('ul', {}, ...items.map((line) => h('li', {}, ...inline(line.replace(/^\s*[-*] /, ''), citations)))),
      );
  }
  return blocks;
}
