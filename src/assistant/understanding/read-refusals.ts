import type { Term } from '../../knowledge/vocabulary.js';
import { termsMentioned } from '../../retrieval/query-expansion.js';
import { escapeRegExp } from '../patterns.js';

// "…but not another hackathon", "we don't want a chatbot", "without AI": a method the asker rules
// out. Only a method the vocabulary knows counts, and only right after the refusal (a word or two
// like "another" between), so "not only hackathons" and "no one left behind" are not refusals.

const refusal =
  '(?:not|no|without|avoid|avoiding|never|nothing like|other than|rather than|instead of|' +
  "(?:do not|don't|dont|does not|doesn't) (?:want|need|like))";
const filler = '(?:(?:a|an|another|any|more|the|yet another|one more|again|of|new)\\s+){0,3}';

const patternsByTerms = new WeakMap<Map<string, Term>, { term: Term; pattern: RegExp }[]>();

function refusalPatterns(terms: Map<string, Term>): { term: Term; pattern: RegExp }[] {
  let patterns = patternsByTerms.get(terms);
  if (!patterns) {
    patterns = [...terms.values()].map((term) => {
      const phrases = [term.label, ...term.synonyms]
        .filter((phrase) => phrase.length > 2)
        .sort((a, b) => b.length - a.length)
        .map((phrase) => escapeRegExp(phrase.toLowerCase()).replace(/\s+/g, '\\s+'));
      return {
        term,
        pattern: new RegExp(`\\b${refusal}\\s+${filler}(?:${phrases.join('|')})(?:s|es)?\\b`, 'i'),
      };
    });
    patternsByTerms.set(terms, patterns);
  }
  return patterns;
}

/** Whether the rest of the message names the method too; short synonyms ("AI") only in capitals. */
function stillWanted(rest: string, term: Term): boolean {
  if (termsMentioned(rest, new Map([[term.slug, term]])).length > 0) return true;
  return term.synonyms
    .filter((synonym) => synonym.length <= 3)
    .some((synonym) => new RegExp(`\\b${escapeRegExp(synonym.toUpperCase())}s?\\b`).test(rest));
}

/**
 * The methods a message rules out, each with the words that did (kept out of the search topic).
 * A method also asked for in other words is not ruled out: "use AI for triage, but no chatbot"
 * wants artificial intelligence, only not that form of it.
 */
export function readRefusals(text: string, methods: Map<string, Term>): { term: Term; phrase: string }[] {
  const found: { term: Term; phrase: string }[] = [];
  for (const { term, pattern } of refusalPatterns(methods)) {
    const match = pattern.exec(text);
    if (!match) continue;
    if (stillWanted(text.replace(match[0], ' '), term)) continue;
    found.push({ term, phrase: match[0] });
  }
  return found;
}
