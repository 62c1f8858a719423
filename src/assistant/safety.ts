/** Longest message the assistant reads; longer ones get a clear refusal, not a silent cut. */
export const maxQuestionCharacters = 4_000;

// Channel-wide pings in Slack and Teams syntax, and plain-text forms people paste.
const massMentions =
  /<!(?:channel|here|everyone)(?:\|[^>]*)?>|<!subteam\^[^>]+>|@(?:channel|here|everyone)\b/gi;

/** Removes mass mentions so an answer can never ping a whole channel. */
export function removeMassMentions(text: string): string {
  return text.replace(massMentions, (mention) => mention.replace(/[<>!@]/g, ''));
}

const urlPattern = /https?:\/\/[^\s<>()\]]+/g;

/**
 * Keeps only links the cited entries carry; any other URL (from a model or a planted entry)
 * is replaced by a note, so the answer never sends people somewhere unvetted.
 */
export function keepAllowedLinks(text: string, allowed: Set<string>): string {
  const normalise = (url: string) => url.replace(/[.,;:!?]+$/, '').replace(/\/$/, '');
  const allowedNormalised = new Set([...allowed].map(normalise));
  return text
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, (whole, label: string, url: string) =>
      allowedNormalised.has(normalise(url)) ? whole : label,
    )
    .replace(urlPattern, (url) => (allowedNormalised.has(normalise(url)) ? url : '(link removed)'));
}

/** Citation markers [n] that point at no citation are dropped. */
export function keepValidMarkers(text: string, citationCount: number): string {
  return text.replace(/\s?\[(\d+)\]/g, (marker, number: string) =>
    Number(number) >= 1 && Number(number) <= citationCount ? marker : '',
  );
}
