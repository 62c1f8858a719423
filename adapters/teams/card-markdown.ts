// Teams renders only a Markdown subset in Adaptive Card TextBlocks (bold, italic, links, flat bulleted
// and numbered lists) and in markdown text messages it is not much wider. Everything else is rewritten
// into that subset so no stray '#', '>' or backticks reach the user.

const listItem = /^(- |\d+\. )/;

/** Rewrites Markdown into the subset Teams renders: headings become bold lines, lists are flattened. */
export function toTeamsMarkdown(markdown: string): string {
  const output: string[] = [];
  let inFence = false;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      output.push(raw.trimEnd());
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(raw)) {
      output.push(''); // horizontal rule
      continue;
    }
    const line = raw
      .trimEnd()
      .replace(/^\s{0,3}#{1,6}\s+(.*?)\s*#*$/, (_whole, title: string) => `**${title}**`)
      .replace(/^\s*>\s?/, '')
      .replace(/^\s*[-*+]\s+/, '- ')
      .replace(/^\s+(\d+)[.)]\s+/, '$1. ')
      .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '[$1]($2)')
      .replace(/__([^_\n]+)__/g, '**$1**')
      .replace(/`([^`\n]+)`/g, '$1')
      .replace(/<\/?[a-zA-Z][^>]*>/g, '');
    const previous = output.at(-1);
    // A list right after a paragraph line needs a blank line, or Teams runs it into the paragraph.
    if (listItem.test(line) && previous !== undefined && previous !== '' && !listItem.test(previous))
      output.push('');
    output.push(line);
  }
  return output
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts `text` to at most `limit` characters at a word boundary, with an ellipsis. */
export function truncate(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > limit * 0.6 ? cut.slice(0, space) : cut}…`;
}
