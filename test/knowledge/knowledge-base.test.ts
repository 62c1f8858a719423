import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withFieldReference } from '../../src/knowledge/field-reference.js';
import { computeStats, minimumPerFacetAndStage } from '../../src/knowledge/knowledge-stats.js';
import { formatProblem, loadKnowledge, type LoadedKnowledge } from '../../src/knowledge/load-knowledge.js';
import { facetIds, lifecycleStageIds } from '../../src/knowledge/schemas.js';
import { projectRoot } from '../../src/paths.js';

let knowledge: LoadedKnowledge;
beforeAll(async () => {
  knowledge = await loadKnowledge(join(projectRoot(), 'knowledge'));
});

describe('the shipped knowledge base', () => {
  it('validates with no errors or warnings, so every cross-reference resolves', () => {
    expect(knowledge.problems.map(formatProblem)).toEqual([]);
  });

  it('has at least 80 cases and 60 toolkits, the six core skills, four facets and six stages', () => {
    const stats = computeStats(knowledge);
    expect(stats.byType.case).toBeGreaterThanOrEqual(80);
    expect(stats.byType.toolkit).toBeGreaterThanOrEqual(60);
    expect(stats.byType.facet).toBe(4);
    expect(stats.byType['lifecycle-stage']).toBe(6);
    const coreSkills = knowledge.entries
      .filter((entry) => entry.type === 'skill' && entry.kind === 'core-skill')
      .map((entry) => entry.id);
    expect(coreSkills.sort()).toEqual([
      'skill-curiosity',
      'skill-data-literacy',
      'skill-insurgency',
      'skill-iteration',
      'skill-storytelling',
      'skill-user-centricity',
    ]);
  });

  it.each([...facetIds, ...lifecycleStageIds])('has at least five cases and five toolkits for %s', (name) => {
    const stats = computeStats(knowledge);
    const counts = stats.byFacet[name] ?? stats.byStage[name]!;
    expect(counts.case).toBeGreaterThanOrEqual(minimumPerFacetAndStage);
    expect(counts.toolkit).toBeGreaterThanOrEqual(minimumPerFacetAndStage);
  });

  it('names the organisation behind every case and gives every entry a source', () => {
    for (const entry of knowledge.entries) {
      expect(entry.sources.length, entry.file).toBeGreaterThan(0);
      if (entry.type === 'case') expect(entry.organisation.trim().length, entry.file).toBeGreaterThan(2);
    }
  });

  it(
    'keeps the field reference in knowledge/README.md in sync with the schemas ' + '(run `npm run kb:docs`)',
    () => {
      const readme = readFileSync(join(projectRoot(), 'knowledge', 'README.md'), 'utf8');
      expect(withFieldReference(readme)).toBe(readme);
    },
  );
});
