import type { LoadedKnowledge } from './load-knowledge.js';
import { facetIds, lifecycleStageIds, facetsOf, stagesOf } from './schemas.js';
import { sectionToWrite } from './entry-files.js';

export interface KnowledgeStats {
  byType: Record<string, number>;
  /** facet → { case: n, toolkit: n } */
  byFacet: Record<string, Record<'case' | 'toolkit', number>>;
  byStage: Record<string, Record<'case' | 'toolkit', number>>;
  byCountry: Record<string, number>;
  byRegion: Record<string, number>;
  byLevel: Record<string, number>;
  unfinished: string[];
  gaps: string[];
}

/** Below this many cases or toolkits, a facet or stage is reported as a gap. */
export const minimumPerFacetAndStage = 5;

const increment = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

/** Counts the knowledge base by type, facet, stage, country, region and level, and lists its gaps. */
export function computeStats(knowledge: LoadedKnowledge): KnowledgeStats {
  const stats: KnowledgeStats = { byType: {}, byFacet: {}, byStage: {}, byCountry: {}, byRegion: {}, byLevel: {}, unfinished: [], gaps: [] };
  for (const facet of facetIds) stats.byFacet[facet] = { case: 0, toolkit: 0 };
  for (const stage of lifecycleStageIds) stats.byStage[stage] = { case: 0, toolkit: 0 };
  for (const entry of knowledge.entries) {
    increment(stats.byType, entry.type);
    if (entry.sections.some((section) => section.text.includes(sectionToWrite))) stats.unfinished.push(entry.file);
    if (entry.type !== 'case' && entry.type !== 'toolkit') continue;
    for (const facet of facetsOf(entry)) stats.byFacet[facet]![entry.type] += 1;
    for (const stage of stagesOf(entry)) stats.byStage[stage]![entry.type] += 1;
    if (entry.type === 'case') {
      increment(stats.byCountry, entry.country);
      increment(stats.byRegion, knowledge.vocabulary.regions.get(knowledge.vocabulary.countries.get(entry.country)?.region ?? '') ?? 'unknown');
      increment(stats.byLevel, entry.level);
    }
  }
  for (const [name, counts] of [...Object.entries(stats.byFacet), ...Object.entries(stats.byStage)]) {
    for (const type of ['case', 'toolkit'] as const) {
      if (counts[type] < minimumPerFacetAndStage) stats.gaps.push(`${name}: only ${counts[type]} ${type}${counts[type] === 1 ? '' : 's'} (aim for ${minimumPerFacetAndStage}+)`);
    }
  }
  for (const [region, count] of Object.entries(stats.byRegion)) {
    if (region !== knowledge.vocabulary.regions.get('international') && count < minimumPerFacetAndStage) stats.gaps.push(`${region}: only ${count} case${count === 1 ? '' : 's'}`);
  }
  return stats;
}

/** The stats as a plain-text report for curators. */
export function formatStats(stats: KnowledgeStats): string {
  const sorted = (record: Record<string, number>) => Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const lines: string[] = [];
  lines.push('Entries by type:', ...sorted(stats.byType).map(([type, count]) => `  ${type.padEnd(16)} ${count}`));
  lines.push('', 'Facets (cases / toolkits):', ...Object.entries(stats.byFacet).map(([facet, counts]) => `  ${facet.padEnd(22)} ${String(counts.case).padStart(3)} / ${counts.toolkit}`));
  lines.push('', 'Lifecycle stages (cases / toolkits):', ...Object.entries(stats.byStage).map(([stage, counts]) => `  ${stage.padEnd(22)} ${String(counts.case).padStart(3)} / ${counts.toolkit}`));
  lines.push('', 'Cases by level:', ...sorted(stats.byLevel).map(([level, count]) => `  ${level.padEnd(16)} ${count}`));
  lines.push('', 'Cases by region:', ...sorted(stats.byRegion).map(([region, count]) => `  ${region.padEnd(36)} ${count}`));
  lines.push('', 'Cases by country:', `  ${sorted(stats.byCountry).map(([country, count]) => `${country} ${count}`).join(', ')}`);
  if (stats.unfinished.length > 0) lines.push('', `Entries with sections still to write (${stats.unfinished.length}):`, ...stats.unfinished.map((file) => `  ${file}`));
  lines.push('', stats.gaps.length > 0 ? 'Gaps:' : 'Gaps: none', ...stats.gaps.map((gap) => `  ${gap}`));
  return lines.join('\n');
}
