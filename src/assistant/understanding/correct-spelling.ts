import { doubleMetaphone } from 'double-metaphone';
import { distance } from 'fastest-levenshtein';
import { stopWords, tokenize } from '../../text/tokenize.js';

/** The words the knowledge base uses, with how often: what a misspelling is corrected towards. */
export class SpellingDictionary {
  private readonly counts = new Map<string, number>();
  private readonly byFirstLetter = new Map<string, string[]>();

  private readonly keyWords: Set<string>;

  /**
   * `keyTexts`: the vocabulary's labels and synonyms, whose words win close calls.
   * `commonWords`: ordinary English words, never corrected though the knowledge base lacks them.
   */
  constructor(
    texts: Iterable<string>,
    keyTexts: Iterable<string> = [],
    private readonly commonWords: ReadonlySet<string> = new Set(),
  ) {
    this.keyWords = new Set([...keyTexts].flatMap((text) => tokenize(text)));
    for (const text of texts)
      for (const word of tokenize(text)) this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
    for (const word of this.counts.keys()) {
      if (word.length < 4 || /\d/.test(word)) continue;
      push(this.byFirstLetter, word[0]!, word);
    }
  }

  has(word: string): boolean {
    return this.counts.has(word) || this.commonWords.has(word);
  }

  /**
   * The knowledge base's word a typed word most likely meant, or undefined when it is known or
   * nothing is close. Edits: one for words of 5–7 letters, two from 8; sound-alikes ("foresite"
   * → "foresight") need the same first letter and at most two edits (three from 8 letters). The
   * commonest wins.
   */
  correct(word: string): string | undefined {
    if (word.length < 5 || this.has(word) || stopWords.has(word) || /\d/.test(word)) return undefined;
    // "citys", "countrys", "agencys": the plural of a word in -y, written -ys ("cites" is one edit
    // closer, but not what was meant).
    const plural = word.endsWith('ys') ? `${word.slice(0, -2)}ies` : undefined;
    if (plural && this.has(plural)) return plural;
    const allowed = word.length >= 8 ? 2 : 1;
    const [sound] = doubleMetaphone(word);
    let best: { word: string; cost: number; count: number } | undefined;
    for (const candidate of this.byFirstLetter.get(word[0]!) ?? []) {
      if (Math.abs(candidate.length - word.length) > 3) continue;
      const edits = isTransposition(word, candidate) ? 1 : distance(word, candidate);
      const soundsAlike = sound.length >= 3 && doubleMetaphone(candidate)[0] === sound;
      if (edits > allowed && !(soundsAlike && edits <= (word.length >= 8 ? 3 : 2))) continue;
      // A sound-alike beats a near-spelling: "foresite" means foresight, not "forest".
      const cost = edits - (soundsAlike ? 1.5 : 0) - (this.keyWords.has(candidate) ? 1 : 0);
      const count = this.counts.get(candidate) ?? 0;
      if (!best || cost < best.cost || (cost === best.cost && count > best.count))
        best = { word: candidate, cost, count };
    }
    return best?.word;
  }
}

/** "desing" / "design": one swap of neighbouring letters, which plain Levenshtein counts as two. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ = [...a].flatMap((letter, index) => (letter === b[index] ? [] : [index]));
  return (
    differ.length === 2 &&
    differ[1] === differ[0]! + 1 &&
    a[differ[0]!] === b[differ[1]] &&
    a[differ[1]] === b[differ[0]!]
  );
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The message with misspelt words replaced, and the corrections made ("foresite → foresight"). */
export function correctSpelling(
  text: string,
  dictionary: SpellingDictionary,
): { text: string; corrections: string[] } {
  const corrections: string[] = [];
  const corrected = text.replace(/[\p{L}][\p{L}'-]*/gu, (word) => {
    // "there's", "Estonia's": a contraction or possessive is not a misspelling.
    if (/'/.test(word)) return word;
    const lower = tokenize(word).join('');
    const fixed = lower && !dictionary.has(lower) ? dictionary.correct(lower) : undefined;
    if (!fixed) return word;
    corrections.push(`${word} → ${fixed}`);
    return fixed;
  });
  return { text: corrected, corrections };
}
