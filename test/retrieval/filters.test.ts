import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { FakeEmbedder } from '../../src/indexing/embedders/fake-embedder.js';
import type { Retriever } from '../../src/retrieval/hybrid-search.js';
import { openRetriever } from '../../src/retrieval/open-retriever.js';
import { fixtureKnowledgeDir, temporaryDataDir } from '../support/knowledge-copy.js';

let retriever: Retriever;

beforeAll(async () => {
  const config = loadConfig({ KNOWLEDGE_DIR: fixtureKnowledgeDir, NAVIGATOR_DATA_DIR: temporaryDataDir() });
  ({ retriever } = await openRetriever(config, { embedder: new FakeEmbedder() }));
});

const ids = async (query: string, filters: Parameters<Retriever['search']>[1]) =>
  (await retriever.search(query, { k: 10, ...filters })).map((result) => result.entry.id);

describe('search filters', () => {
  it('finds participatory budgeting entries without filters', async () => {
    expect((await ids('residents vote on how to spend the city budget', {})).slice(0, 2).sort()).toEqual([
      'budget-vote-handbook',
      'city-budget-vote',
    ]);
  });

  it('filters by type', async () => {
    expect(await ids('city budget vote', { filters: { types: ['toolkit'] } })).toEqual([
      'budget-vote-handbook',
    ]);
  });

  it('filters by country and by region', async () => {
    expect(await ids('benefits budget scenarios', { filters: { countries: ['Estonia'] } })).toEqual([
      'national-benefit-offer',
    ]);
    expect(
      (await ids('benefits budget scenarios', { filters: { regions: ['europe'], types: ['case'] } })).sort(),
    ).toEqual(['city-budget-vote', 'national-benefit-offer', 'regional-foresight']);
  });

  it('filters by level, facet, lifecycle stage and year range', async () => {
    expect(await ids('budget benefits scenarios', { filters: { levels: ['regional'] } })).toEqual([
      'regional-foresight',
    ]);
    expect((await ids('budget scenarios', { filters: { facets: ['anticipatory'] } })).sort()).toEqual([
      'anticipatory',
      'regional-foresight',
    ]);
    expect(
      (await ids('budget vote', { filters: { lifecycleStages: ['implementing-projects'] } })).sort(),
    ).toEqual(['budget-vote-handbook', 'national-benefit-offer']);
    expect(
      (await ids('budget benefits scenarios', { filters: { yearFrom: 2015, yearTo: 2020 } })).sort(),
    ).toEqual(['budget-vote-handbook', 'national-benefit-offer']);
  });

  it('returns nothing rather than wrong entries when the filters exclude everything', async () => {
    expect(await ids('city budget vote', { filters: { countries: ['Japan'] } })).toEqual([]);
  });

  it('ranks by each index alone in lexical and vector modes', async () => {
    expect((await ids('participatory budgeting', { mode: 'lexical' }))[0]).toMatch(/budget/);
    expect((await ids('participatory budgeting', { mode: 'vector' })).length).toBeGreaterThan(0);
  });
});

describe('query embeddings', () => {
  it(
    'embeds a repeated query once, ' + 'so an answer that searches it three times costs one embedding call',
    async () => {
      const embedder = new FakeEmbedder();
      const config = loadConfig({
        KNOWLEDGE_DIR: fixtureKnowledgeDir,
        NAVIGATOR_DATA_DIR: temporaryDataDir(),
      });
      const { retriever: fresh } = await openRetriever(config, { embedder });
      await fresh.search('residents vote on the budget', { k: 3 });
      await fresh.search('residents vote on the budget', { k: 10, filters: { types: ['case'] } });
      await fresh.search('scenarios for a region', { k: 3 });
      expect(embedder.embedQueryCalls).toEqual(['residents vote on the budget', 'scenarios for a region']);
    },
  );
});
