import type { EntryRecord } from '../../indexing/chunking.js';
import { slugWords } from '../../text/sentences.js';
import { renderPortfolio } from '../compose-answer.js';
import type { CitationList } from '../citations.js';
import { mapPortfolio } from '../map-portfolio.js';
import { emptySection, type PlanInput, type PlannedSection } from '../stages/plan.js';

/** A pasted project list placed on the four facets, with the balance, the gaps and a toolkit per gap. */
export async function planPortfolio(input: PlanInput, citations: CitationList): Promise<PlannedSection> {
  const map = await mapPortfolio(input.context, input.projects);
  const lines = [
    `Here is how your ${map.placements.length} projects sit on OPSI's four innovation facets:`,
    '',
    ...renderPortfolio(map, citations, input.records),
  ];
  const facetEntries = ['innovation-portfolio', ...map.missing]
    .map((id) => input.records.get(id))
    .filter((entry): entry is EntryRecord => entry !== undefined);
  if (facetEntries.length > 0)
    lines.push(
      '',
      `Read more: ${facetEntries.map((entry) => `${entry.title} [${citations.cite(entry)}]`).join(', ')}.`,
    );
  return {
    ...emptySection('portfolio', lines),
    portfolio: map.placements,
    methods: map.suggestions,
    followUps:
      map.missing.length > 0
        ? [`How do we start ${slugWords(map.missing[0]!)} innovation?`, 'What is an innovation portfolio?']
        : ['What is an innovation portfolio?'],
  };
}
