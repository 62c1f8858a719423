import type { LoadedKnowledge } from './load-knowledge.js';
import { facetIds, lifecycleStageIds, facetsOf, stagesOf } from './schemas.js';
import { sectionToWrite } from './entry-files.js';

export interface KnowledgeStats {
  byType: Record<string, number>;
  /** facet → { case: n, toolkit: n } */
  byFacet: Record<string, Record<'case' | 'toolkit', number>>;
  byStage: Record<string, Record<'case' | 'toolkit', number>>;
  /** facet → stage → cases, the grid curators fill so every kind of innovation has peers at every stage. */
  casesByFacetAndStage: Record<string, Record<string, number>>;
  /** facet → stage → toolkits serving both. */
  toolkitsByFacetAndStage: Record<string, Record<string, number>>;
  byCountry: Record<string, number>;
  byRegion: Record<string, number>;
  byLevel: Record<string, number>;
  unfinished: string[];
  gaps: string[];
}

/** Below this many cases or toolkits, a facet or stage is reported as a gap. */
export const minimumPerFacetAndStage = 5;
/** Below this many cases, a facet × stage cell is reported as a gap. */
export const minimumCasesPerCell = 3;

const increment = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

const emptyGrid = () =>
  Object.fromEntries(
    facetIds.map((facet) => [facet, Object.fromEntries(lifecycleStageIds.map((stage) => [stage, 0]))]),
  );

/** Counts the knowledge base by type, facet, stage, country, region and level, and lists its gaps. */
export function computeStats(knowledge: LoadedKnowledge): KnowledgeStats {
  const stats: KnowledgeStats = {
    byType: {},
    byFacet: {},
    byStage: {},
    casesByFacetAndStage: emptyGrid(),
    toolkitsByFacetAndStage: emptyGrid(),
    byCountry: {},
    byRegion: {},
    byLevel: {},
    unfinished: [],
    gaps: [],
  };
  for (const facet of facetIds) stats.byFacet[facet] = { case: 0, toolkit: 0 };
  for (const stage of lifecycleStageIds) stats.byStage[stage] = { case: 0, toolkit: 0 };
  for (const entry of knowledge.entries) {
    increment(stats.byType, entry.type);
    if (entry.sections.some((section) => section.text.includes(sectionToWrite)))
      stats.unfinished.push(entry.file);
    if (entry.type !== 'case' && entry.type !== 'toolkit') continue;
    for (const facet of facetsOf(entry)) stats.byFacet[facet]![entry.type] += 1;
    for (const stage of stagesOf(entry)) stats.byStage[stage]![entry.type] += 1;
    const grid = entry.type === 'case' ? stats.casesByFacetAndStage : stats.toolkitsByFacetAndStage;
    for (const facet of facetsOf(entry)) for (const stage of stagesOf(entry)) grid[facet]![stage]! += 1;
    if (entry.type === 'case') {
      increment(stats.byCountry, entry.country);
      const regionId = knowledge.vocabulary.countries.get(entry.country)?.region ?? '';
      increment(stats.byRegion, knowledge.vocabulary.regions.get(regionId) ?? 'unknown');
      increment(stats.byLevel, entry.level);
    }
  }
  for (const [name, counts] of [...Object.entries(stats.byFacet), ...Object.entries(stats.byStage)]) {
    for (const type of ['case', 'toolkit'] as const) {
      if (counts[type] < minimumPerFacetAndStage)
        stats.gaps.push(
          `${name}: only ${counts[type]} ${type}${counts[type] === 1 ? '' : 's'} ` +
            `(aim for ${minimumPerFacetAndStage}+)`,
        );
    }
  }
  for (const [facet, stages] of Object.entries(stats.casesByFacetAndStage))
    for (const [stage, count] of Object.entries(stages))
      if (count < minimumCasesPerCell)
        stats.gaps.push(`${facet} × ${stage}: only ${count} case${count === 1 ? '' : 's'} (aim for 3+)`);
  for (const [region, count] of Object.entries(stats.byRegion)) {
    if (region !== knowledge.vocabulary.regions.get('international') && count < minimumPerFacetAndStage)
      stats.gaps.push(`${region}: only ${count} case${count === 1 ? '' : 's'}`);
  }
  return stats;
}

/** The stats as a plain-text report for curators. */
export function formatStats(stats: KnowledgeStats): string {
  const sorted = (record: Record<string, number>) =>
    Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const lines: string[] = [];
  lines.push(
    'Entries by type:',
    ...sorted(stats.byType).map(([type, count]) => `  ${type.padEnd(16)} ${count}`),
  );
  lines.push(
    '',
    'Facets (cases / toolkits):',
    ...Object.entries(stats.byFacet).map(
      ([facet, counts]) => `  ${facet.padEnd(22)} ${String(counts.case).padStart(3)} / ${counts.toolkit}`,
    ),
  );
  lines.push(
    '',
    'Lifecycle stages (cases / toolkits):',
    ...Object.entries(stats.byStage).map(
      ([stage, counts]) => `  ${stage.padEnd(22)} ${String(counts.case).padStart(3)} / ${counts.toolkit}`,
    ),
  );
  const stageHeads = lifecycleStageIds.map((stage) => stage.split('-')[0]!.slice(0, 9).padStart(9));
  lines.push(
    '',
    'Cases by facet × lifecycle stage:',
    `  ${''.padEnd(22)}${stageHeads.join(' ')}`,
    ...Object.entries(stats.casesByFacetAndStage).map(
      ([facet, stages]) =>
        `  ${facet.padEnd(22)}` +
        lifecycleStageIds.map((stage) => String(stages[stage]).padStart(9)).join(' '),
    ),
  );
  lines.push(
    '',
    'Cases by level:',
    ...sorted(stats.byLevel).map(([level, count]) => `  ${level.padEnd(16)} ${count}`),
  );
  lines.push(
    '',
    'Cases by region:',
    ...sorted(stats.byRegion).map(([region, count]) => `  ${region.padEnd(36)} ${count}`),
  );
  const countries = sorted(stats.byCountry).map(([country, count]) => `${country} ${count}`);
  lines.push('', 'Cases by country:', `  ${countries.join(', ')}`);
  if (stats.unfinished.length > 0)
    lines.push(
      '',
      `Entries with sections still to write (${stats.unfinished.length}):`,
      ...stats.unfinished.map((file) => `  ${file}`),
    );
  lines.push('', stats.gaps.length > 0 ? 'Gaps:' : 'Gaps: none', ...stats.gaps.map((gap) => `  ${gap}`));
  return lines.join('\n');
}
