import MiniSearch, { type Options } from 'minisearch';
import { stopWords, tokenize } from '../text/tokenize.js';

export interface LexicalDocument {
  id: number;
  title: string;
  tags: string;
  text: string;
}

export interface LexicalHit {
  label: number;
  score: number;
  /** Distinct query terms (after folding) found in the chunk. */
  matchedTerms: number;
}

/** Light suffix folding so "budgets", "budgeting" and "budget" meet; not a full stemmer. */
export function foldTerm(term: string): string {
  if (term.length <= 4) return term;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ies', 'ers', 'ed', 'es', 's']) {
    if (term.endsWith(suffix) && term.length - suffix.length >= 4) {
      return suffix === 'ies' ? `${term.slice(0, -3)}y` : term.slice(0, -suffix.length);
    }
  }
  return term;
}

const options: Options<LexicalDocument> = {
  fields: ['title', 'tags', 'text'],
  tokenize: (text) => tokenize(text),
  processTerm: (term) => (stopWords.has(term) ? null : foldTerm(term)),
  searchOptions: { boost: { title: 2, tags: 1.5 }, combineWith: 'OR' },
};

/** BM25 search over chunks with MiniSearch (BM25+ scoring, field boosts). */
export class LexicalIndex {
  private constructor(private readonly search_: MiniSearch<LexicalDocument>) {}

  static build(documents: LexicalDocument[]): LexicalIndex {
    const search = new MiniSearch<LexicalDocument>(options);
    search.addAll(documents);
    return new LexicalIndex(search);
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<LexicalDocument>(json, options));
  }

  toJSON(): string {
    return JSON.stringify(this.search_);
  }

  /** Chunks ranked by BM25; `filter` sees chunk labels. */
  search(query: string, limit: number, filter?: (label: number) => boolean): LexicalHit[] {
    const hits = this.search_.search(query, filter ? { filter: (result) => filter(result.id as number) } : undefined);
    return hits.slice(0, limit).map((hit) => ({ label: hit.id as number, score: hit.score, matchedTerms: new Set(hit.queryTerms).size }));
  }
}
