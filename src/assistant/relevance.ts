import type { SearchResult } from '../retrieval/hybrid-search.js';

export interface Citation {
  id: string;
  type: string;
  title: string;
  url?: string;
}

export interface ExtractiveAnswer {
  question: string;
  answer: string;
  status: 'answered' | 'no_match';
  citations: Citation[];
}

/**
 * Whether a result is real evidence rather than the nearest of nothing. Off-topic questions
 * share at most two words with any passage and rarely pass 0.6 similarity; dev-set questions
 * that miss one signal nearly always have the other (thresholds read off both sets).
 */
export function isRelevant(result: SearchResult): boolean {
  const similarity = result.similarity ?? 0;
  return result.matchedTerms >= 3 || (result.matchedTerms >= 2 && similarity >= 0.4) || similarity >= 0.72;
}

function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/s.exec(text.replace(/\s+/g, ' ').trim());
  return (match?.[1] ?? text).trim();
}

function describe(result: SearchResult): string {
  const { entry } = result;
  const details = [entry.country, entry.organisation && entry.type === 'case' ? entry.organisation : undefined, entry.year ?? undefined]
    .filter((part) => part !== undefined && part !== '')
    .join(', ');
  return details ? `**${entry.title}** (${details})` : `**${entry.title}**`;
}

/** A short grounded answer from the best entries' summaries, with numbered citations. */
export function composeExtractiveAnswer(question: string, results: SearchResult[]): ExtractiveAnswer {
  const relevant = results.filter(isRelevant);
  if (relevant.length === 0) {
    return {
      question,
      status: 'no_match',
      answer:
        'I found nothing in the knowledge base that answers this. Try describing the challenge in a sentence (who it is for and what should change), or name a method, a country or a facet — for example "participatory budgeting in cities" or "foresight for a ministry".',
      citations: [],
    };
  }
  const citations = relevant.map(({ entry }) => ({ id: entry.id, type: entry.type, title: entry.title, url: entry.url }));
  const lines = relevant.slice(0, 3).map((result, position) => `${position + 1}. ${describe(result)}: ${firstSentence(result.entry.summary)} [${position + 1}]`);
  const more = relevant.slice(3).map((result, position) => `${result.entry.title} [${position + 4}]`);
  const answer = [
    'From the knowledge base:',
    ...lines,
    ...(more.length > 0 ? [`Also relevant: ${more.join('; ')}.`] : []),
  ].join('\n');
  return { question, status: 'answered', answer, citations };
}
