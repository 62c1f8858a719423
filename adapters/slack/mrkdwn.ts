// Markdown (what the core writes) → Slack mrkdwn (what section blocks show), and safe cutting of it.

/** Escapes the three characters mrkdwn treats as control characters; `<` also starts mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A word joiner after the @ keeps the word readable but stops it from pinging a whole channel.
const massMentionWord = /@(channel|here|everyone)\b/gi;
export function defuseMassMentions(text: string): string {
  return text.replace(massMentionWord, '@\u2060$1');
}

const maxLinkLength = 1_000;

/** A link Slack can show: http(s) or mailto, short enough never to be cut when a text is split. */
function safeUrl(url: string): string | undefined {
  if (!/^(https?:\/\/|mailto:)/i.test(url) || url.length > maxLinkLength) return undefined;
  // Inside <url|label> a `|` or `>` would end the URL early.
  return url.replace(/&/g, '&amp;').replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
}

/** A mrkdwn link, or the escaped label alone when the URL is not one Slack should link to. */
export function mrkdwnLink(url: string | undefined, label: string): string {
  const text = defuseMassMentions(escapeMrkdwn(label.replace(/\s+/g, ' ').trim()));
  const target = url ? safeUrl(url) : undefined;
  return target ? `<${target}|${text}>` : text;
}

// Bold is parked in a private-use character while single-star italics are converted.
const boldMark = '\uE000';

function convertEmphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*/g, `${boldMark}$1${boldMark}`)
    .replace(/__(?=\S)([^_\n]+?)(?<=\S)__/g, `${boldMark}$1${boldMark}`)
    .replace(/(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])/g, '_$1_')
    .replace(/~~(?=\S)([^~\n]+?)(?<=\S)~~/g, '~$1~')
    .replaceAll(boldMark, '*');
}

const inlineToken = /`([^`\n]+)`|\[([^\]\n]+)\]\(([^)\s]+)\)/g;

/** Converts one line's inline Markdown: code spans, links, bold, italics, strike-through. */
function convertInline(line: string): string {
  let result = '';
  let last = 0;
  for (const match of line.matchAll(inlineToken)) {
    result += convertEmphasis(defuseMassMentions(escapeMrkdwn(line.slice(last, match.index))));
    if (match[1] !== undefined) result += `\`${escapeMrkdwn(match[1])}\``;
    else result += mrkdwnLink(match[3], match[2]!.replace(/\*\*|__/g, ''));
    last = match.index + match[0].length;
  }
  return result + convertEmphasis(defuseMassMentions(escapeMrkdwn(line.slice(last))));
}

/** Converts the core's Markdown to Slack mrkdwn; `&`, `<` and `>` are escaped, so no mention survives. */
export function markdownToMrkdwn(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (heading) return `*${convertInline(heading[1]!.replace(/\*\*|__/g, ''))}*`;
      const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
      if (bullet) return `${bullet[1]}• ${convertInline(bullet[2]!)}`;
      return convertInline(line);
    })
    .join('\n');
}

/**
 * Markdown for chat streaming (Slack renders it itself): only mentions and Slack's <…> syntax are
 * defused.
 */
export function markdownForStream(markdown: string): string {
  return defuseMassMentions(markdown.replace(/<([!@#][^>\n]*)>/g, '$1'));
}

/** Plain text for notifications: Markdown marks and link targets dropped, still escaped. */
export function markdownToPlainText(markdown: string): string {
  const plain = markdown
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '$1')
    .replace(/\*\*|__|~~|`/g, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return defuseMassMentions(escapeMrkdwn(plain));
}

/** Spans never to cut: links, escaped entities, citation markers and short bold or italic runs. */
export const mrkdwnAtoms = /<[^>\n]*>|&(?:amp|lt|gt);|\[\d+\]|\*[^*\n]{1,200}\*|_[^_\n]{1,200}_/g;
export const markdownAtoms = /\[[^\]\n]*\]\([^)\s]*\)|\[\d+\]|\*\*[^*\n]{1,200}\*\*/g;
// Atoms are at most a link long, so only the text just past the limit can hold one that crosses it.
const atomReach = maxLinkLength + 300;

const boundaries = [/\n\n+/g, /\n/g, /[.;:!?]\s+/g, /\s+/g];

/**
 * Splits text into pieces of at most `limit` characters, preferring paragraph, line, sentence and
 * word boundaries, and never cutting inside an atom (a link, an entity or a citation marker).
 */
export function splitSafely(
  text: string,
  limit: number,
  atoms: RegExp = mrkdwnAtoms,
  keepWhitespace = false,
): string[] {
  const pieces: string[] = [];
  let rest = keepWhitespace ? text : text.trim();
  while (rest.length > limit) {
    const spans = [...rest.slice(0, limit + atomReach).matchAll(new RegExp(atoms.source, 'g'))].map(
      (match) => [match.index, match.index + match[0].length] as const,
    );
    const outsideAtoms = (position: number) =>
      !spans.some(([start, end]) => start < position && position < end);
    let cut = -1;
    for (const boundary of boundaries) {
      for (const match of rest.matchAll(new RegExp(boundary.source, 'g'))) {
        const position = match.index + match[0].length;
        if (position > limit) break;
        // Keep the separator with the first piece; skip cuts that leave a sliver.
        if (position >= limit / 3 && outsideAtoms(match.index)) cut = position;
      }
      if (cut > 0) break;
    }
    if (cut <= 0) {
      cut = limit;
      while (cut > 1 && !outsideAtoms(cut)) cut -= 1;
      // Only an atom longer than the limit gets here; a hard cut is all that is left.
      if (cut <= 1) cut = limit;
    }
    // Streamed chunks are concatenated by Slack, so there the whitespace must survive.
    pieces.push(keepWhitespace ? rest.slice(0, cut) : rest.slice(0, cut).trimEnd());
    rest = keepWhitespace ? rest.slice(cut) : rest.slice(cut).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** Shortens text to at most `limit` characters at a safe boundary, ending with an ellipsis. */
export function truncateSafely(text: string, limit: number, atoms: RegExp = mrkdwnAtoms): string {
  if (text.length <= limit) return text;
  const first = splitSafely(text, limit - 1, atoms)[0] ?? '';
  return `${first.replace(/[\s.,;:]+$/, '')}…`;
}

/** Shortens plain text (a button label, a modal field) to at most `limit` characters. */
export function truncatePlain(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, '')}…`;
}
