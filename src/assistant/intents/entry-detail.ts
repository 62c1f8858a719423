import type { CitationList } from '../citations.js';
import { emptySection, type PlanInput, type PlannedSection } from '../stages/plan.js';
import { exampleQuestions } from './help.js';

/** "Tell me more about the second one": the entry the last answer listed at that position. */
export async function planEntryDetail(input: PlanInput, citations: CitationList): Promise<PlannedSection> {
  const { state } = input;
  const ordinal = input.ordinal ?? 1;
  const id = state ? (ordinal === -1 ? state.listed.at(-1) : state.listed[ordinal - 1]) : undefined;
  const entry = id ? input.context.entries.get(id) : undefined;
  const record = id ? input.records.get(id) : undefined;
  if (!entry || !record) {
    return {
      ...emptySection('entry_detail', [
        state
          ? `My last answer listed ${state.listed.length} item(s); which one do you mean?`
          : 'Which one do you mean? Ask me a question first, then "tell me more about the second one".',
      ]),
      status: 'clarify',
      followUps: exampleQuestions.slice(0, 2),
    };
  }
  const marker = citations.cite(record);
  const who =
    entry.type === 'case'
      ? `**Who to approach:** ${entry.organisation}${entry.team ? ` (${entry.team})` : ''}, ${entry.country}.`
      : entry.type === 'toolkit'
        ? `**Publisher:** ${entry.publisher}${entry.year ? ` (${entry.year})` : ''}. ` +
          `Licence: ${entry.licence}; cost: ${entry.cost}.`
        : '';
  const sections = entry.sections
    .filter((section) => section.heading)
    .slice(0, 6)
    .map((section) => `**${section.heading}.** ${section.text.replace(/\s+/g, ' ')}`);
  const lines = [
    `**${entry.title}** [${marker}]`,
    '',
    entry.summary.replace(/\s+/g, ' ').trim(),
    '',
    ...sections.flatMap((section) => [section, '']),
  ];
  if (who) lines.push(who);
  return {
    ...emptySection('entry_detail', lines),
    followUps: ['Who else has done something similar?', 'Which methods fit this challenge?'],
  };
}
