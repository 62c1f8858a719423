import { emptyAnswer, type Answer, type Intent } from '../answer.js';
import type { CitationList } from '../citations.js';
import { exampleQuestions } from '../intents/help.js';
import type { PlannedSection } from './plan.js';

/** What the composed answer should say about filters. */
export interface FilterSummary {
  applied: string[];
  where: string;
  /** Labels of the methods the asker ruled out, said back to them. */
  refused?: string[];
}

/**
 * Joins the planned sections into one answer, in the order asked: texts one after the other,
 * lists merged without repeats, one citation list. Nothing found anywhere → a no-match answer.
 */
export function composeAnswer(
  sections: PlannedSection[],
  citations: CitationList,
  filters: FilterSummary,
): Answer {
  const found = sections.filter((section) => section.found);
  const intent: Intent = sections[0]?.intent ?? 'question';
  const clarify = sections.find((section) => section.status === 'clarify');
  if (clarify)
    return {
      ...emptyAnswer('clarify', clarify.intent, clarify.lines.join('\n')),
      followUps: clarify.followUps,
    };
  if (found.length === 0) return noMatchAnswer(intent, filters.where);
  const unique = <T extends { id: string }>(items: T[]) =>
    items.filter((item, index) => items.findIndex((other) => other.id === item.id) === index);
  const lines = found.flatMap((section, index) => (index === 0 ? section.lines : ['', ...section.lines]));
  if (filters.refused && filters.refused.length > 0)
    lines.push('', `_Left out, as you asked: ${filters.refused.join(', ').toLowerCase()}._`);
  const relaxed = [...new Set(found.flatMap((section) => section.relaxed ?? []))];
  return {
    ...emptyAnswer(
      'answered',
      intent,
      lines
        .filter((line, index, all) => line !== '' || all[index - 1] !== '')
        .join('\n')
        .trim(),
    ),
    citations: citations.citations,
    peerCases: unique(found.flatMap((section) => section.peers)),
    recommendedMethods: unique(found.flatMap((section) => section.methods)),
    skills: unique(found.flatMap((section) => section.skills)),
    portfolio: found.flatMap((section) => section.portfolio),
    followUps: [...new Set(found.flatMap((section) => section.followUps))].slice(0, 4),
    filtersApplied: filters.applied.filter((note) => !relaxed.includes(note)),
    ...(relaxed.length > 0 ? { filtersRelaxed: relaxed } : {}),
  };
}

/** "Nothing relevant found" is a normal answer, with a hint on how to ask again. */
export function noMatchAnswer(intent: Intent, where: string): Answer {
  const text = where
    ? `I found nothing in the knowledge base that matches${where}. ` +
      'Try without the filter, or describe the challenge differently.'
    : 'I found nothing in the knowledge base that answers this. ' +
      'Try describing the challenge in a sentence (who it is for and what should change), ' +
      'or name a method, a country or a facet — ' +
      'for example "participatory budgeting in cities" or "foresight for a ministry".';
  return { ...emptyAnswer('no_match', intent, text), followUps: exampleQuestions.slice(0, 2) };
}
