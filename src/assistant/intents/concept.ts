import { renderDirectAnswer } from '../compose-answer.js';
import type { CitationList } from '../citations.js';
import { toPeerCase, toRecommendedMethod } from '../recommend.js';
import { isRelevant } from '../relevance.js';
import { termsMentioned } from '../../retrieval/query-expansion.js';
import type { SearchResult } from '../../retrieval/hybrid-search.js';
import { termsOf } from '../../indexing/lexical-index.js';
import { emptySection, type PlanInput, type PlannedSection } from '../stages/plan.js';

/** A concept or factual question: the best entry's summary and most relevant section, then others. */
export async function planConcept(input: PlanInput, citations: CitationList): Promise<PlannedSection> {
  // "What is foresight?" shares one word with its entry: naming the entry's method or all its words
  // is evidence enough, but only for a question that asks what something is.
  const definitional = /\b(what(?:'s| is| are| does)|explain|define|definition|meaning|mean)\b/i.test(
    input.topic,
  );
  const named = new Set(
    definitional
      ? termsMentioned(input.topic, input.context.vocabulary.methods).map((term) => term.slug)
      : [],
  );
  // An entry the message names ("what is OPSI?") answers it first, whatever else shares its words.
  const namedFirst = input.named
    .filter((entry) => entry.type !== 'case')
    .flatMap((entry) => input.records.get(entry.id) ?? []);
  const found = input.evidence
    .filter(
      (result, position) =>
        isRelevant(result) ||
        (definitional &&
          position < 5 &&
          (result.entry.methods.some((method) => named.has(method)) || namesTheEntry(input.topic, result))),
    )
    .map((result) => result.entry)
    .filter((entry) => !namedFirst.some((first) => first.id === entry.id));
  const relevant = [...namedFirst, ...found].slice(0, input.combined ? 2 : 4);
  if (relevant.length === 0) return emptySection('question', [], false);
  const lines = renderDirectAnswer(
    input.topic,
    relevant,
    citations,
    (id) => input.context.entries.get(id)?.sections ?? [],
  );
  return {
    ...emptySection('question', lines),
    peers: relevant
      .filter((entry) => entry.type === 'case')
      .map((entry) => toPeerCase(entry, 'Mentioned in the answer.')),
    methods: relevant
      .filter((entry) => entry.type === 'toolkit')
      .map((entry) => toRecommendedMethod(entry, 'Mentioned in the answer.')),
    followUps: [
      'Tell me more about the first one',
      'Who has done this in practice?',
      'Which methods fit this?',
    ],
  };
}

const questionWords = new Set([
  'what',
  'mean',
  'means',
  'meaning',
  'explain',
  'define',
  'definition',
  'tell',
]);

/** A short concept question whose every word is in the entry's title or summary ("what is foresight?"). */
function namesTheEntry(topic: string, result: SearchResult): boolean {
  const words = termsOf(topic).filter((word) => !questionWords.has(word));
  if (words.length === 0 || words.length > 4) return false;
  const entryWords = new Set(termsOf(`${result.entry.title} ${result.entry.summary}`));
  const found = words.filter((word) => entryWords.has(word)).length;
  // One stray word ("exactly", "plain") may be missing from a question of three or four.
  return found === words.length || (words.length >= 3 && found >= words.length - 1);
}
