/** First sentence of a text, cut at a word boundary near `max` characters. */
export function gist(text: string, max = 180): string {
  const sentence = (/^(.+?[.!?])(\s|$)/s.exec(text.replace(/\s+/g, ' ').trim())?.[1] ?? text).trim();
  if (sentence.length <= max) return sentence;
  return `${sentence.slice(0, sentence.lastIndexOf(' ', max))}…`;
}

/** A vocabulary slug as words: "mission-oriented" → "mission oriented". */
export function slugWords(slug: string): string {
  return slug.replace(/-/g, ' ');
}
