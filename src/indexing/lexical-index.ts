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

/** Index-time and query-time terms: tokens without stop words, folded. */
export function termsOf(text: string): string[] {
  return tokenize(text).flatMap((token) => (stopWords.has(token) ? [] : [foldTerm(token)]));
}

const options: Options<LexicalDocument> = {
  fields: ['title', 'tags', 'text'],
  tokenize: (text) => tokenize(text),
  processTerm: (term) => (stopWords.has(term) ? null : foldTerm(term)),
  searchOptions: { boost: { title: 2, tags: 1.5 }, combineWith: 'OR' },
};

/** Terms in more than this share of passages say little about any one of them. */
const maxDocumentShare = 0.05;
const minCommonDocuments = 50;
/** Long questions are cut to their rarest terms; BM25 gives common terms little weight anyway. */
const maxQueryTerms = 8;
const minQueryTerms = 3;
/**
 * MiniSearch scores every posting of every query term, so latency grows with the postings read.
 * Past this many, further (commoner) terms are dropped; the knowledge base never gets near it,
 * a 100k-passage index does.
 */
const maxPostingsPerQuery = 6_000;

/** BM25 search over chunks with MiniSearch (BM25+ scoring, field boosts), with query-term pruning. */
export class LexicalIndex {
  private constructor(
    private readonly miniSearch: MiniSearch<LexicalDocument>,
    private readonly documentFrequency: Map<string, number>,
    private readonly documentCount: number,
  ) {}

  static build(documents: LexicalDocument[]): LexicalIndex {
    const miniSearch = new MiniSearch<LexicalDocument>(options);
    miniSearch.addAll(documents);
    const documentFrequency = new Map<string, number>();
    for (const document of documents) {
      for (const term of new Set(termsOf(`${document.title} ${document.tags} ${document.text}`))) {
        documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      }
    }
    return new LexicalIndex(miniSearch, documentFrequency, documents.length);
  }

  static fromJSON(json: string): LexicalIndex {
    const saved = JSON.parse(json) as {
      miniSearch: unknown;
      documentFrequency: [string, number][];
      documentCount: number;
    };
    return new LexicalIndex(
      MiniSearch.loadJS<LexicalDocument>(saved.miniSearch as never, options),
      new Map(saved.documentFrequency),
      saved.documentCount,
    );
  }

  toJSON(): string {
    return JSON.stringify({
      miniSearch: this.miniSearch.toJSON(),
      documentFrequency: [...this.documentFrequency],
      documentCount: this.documentCount,
    });
  }

  /** The query terms worth searching: known, not near-ubiquitous, rarest first. */
  selectTerms(query: string): string[] {
    const known = [...new Set(termsOf(query))].filter((term) => this.documentFrequency.has(term));
    const ranked = known.sort((a, b) => this.documentFrequency.get(a)! - this.documentFrequency.get(b)!);
    // In a small index every word is in "5%" of the passages; commonness needs a floor.
    const commonAbove = Math.max(maxDocumentShare * this.documentCount, minCommonDocuments);
    const specific = ranked.filter((term) => this.documentFrequency.get(term)! <= commonAbove);
    // A short question may consist mostly of common words ("what is the anticipatory facet?"):
    // keep the rarest of them so that at least `minQueryTerms` terms are searched.
    const common = ranked
      .filter((term) => !specific.includes(term))
      .slice(0, Math.max(0, minQueryTerms - specific.length));
    const candidates = [...specific, ...common].slice(0, maxQueryTerms);
    const selected: string[] = [];
    let postings = 0;
    for (const term of candidates) {
      const frequency = this.documentFrequency.get(term)!;
      if (selected.length >= 2 && postings + frequency > maxPostingsPerQuery) break;
      selected.push(term);
      postings += frequency;
    }
    return selected;
  }

  /** Chunks ranked by BM25; `filter` sees chunk labels. */
  search(query: string, limit: number, filter?: (label: number) => boolean): LexicalHit[] {
    const terms = this.selectTerms(query);
    if (terms.length === 0) return [];
    const hits = this.miniSearch.search(terms.join(' '), {
      processTerm: (term) => term,
      ...(filter ? { filter: (result) => filter(result.id as number) } : {}),
    });
    return hits.slice(0, limit).map((hit) => ({
      label: hit.id as number,
      score: hit.score,
      matchedTerms: new Set(hit.queryTerms).size,
    }));
  }
}
