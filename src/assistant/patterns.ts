// Long regular expressions written as several literals, so that no line runs past 110 characters.
// Each part is a complete pattern on its own (its flags are ignored): only its source is used, so
// `regex('i', /\b/, group(/a|b/, /c/), /\b/)` is exactly `/\b(a|b|c)\b/i`.

type Part = RegExp | string;

const sourceOf = (part: Part): string => (typeof part === 'string' ? part : part.source);

/** The parts one after the other, as a source to use inside another part. */
export function concat(...parts: Part[]): string {
  return parts.map(sourceOf).join('');
}

/** One regular expression from parts written one after the other. */
export function regex(flags: string, ...parts: Part[]): RegExp {
  return new RegExp(concat(...parts), flags);
}

/** A capturing group of alternatives: `(a|b|c)`. */
export function group(...alternatives: Part[]): string {
  return `(${either(...alternatives)})`;
}

/** A non-capturing group of alternatives: `(?:a|b|c)`. */
export function anyOf(...alternatives: Part[]): string {
  return `(?:${either(...alternatives)})`;
}

/** Alternatives without a group around them, for a pattern that is an alternation throughout: `a|b|c`. */
export function either(...alternatives: Part[]): string {
  return alternatives.map(sourceOf).join('|');
}

/** Text to match literally inside a pattern. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
