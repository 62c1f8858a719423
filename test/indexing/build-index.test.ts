import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNavigatorError } from '../../src/errors.js';
import { buildIndex } from '../../src/indexing/build-index.js';
import { FakeEmbedder } from '../../src/indexing/embedders/fake-embedder.js';
import { indexPaths, loadIndex } from '../../src/indexing/index-store.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { Retriever } from '../../src/retrieval/hybrid-search.js';
import { openRetriever } from '../../src/retrieval/open-retriever.js';
import { loadConfig } from '../../src/config.js';
import { copyFixtureKnowledge, temporaryDataDir } from '../support/knowledge-copy.js';

/** An embedder that fails after a number of batches, as a crash or a lost API would. */
class FailingEmbedder extends FakeEmbedder {
  constructor(private batchesBeforeFailure: number) {
    super();
  }
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.batchesBeforeFailure-- <= 0) throw new Error('embedding service went away');
    return super.embedDocuments(texts);
  }
}

async function searchIds(dataDir: string, knowledgeDir: string, query: string) {
  const knowledge = await loadKnowledge(knowledgeDir);
  const embedder = new FakeEmbedder();
  const retriever = new Retriever(loadIndex(dataDir, embedder), embedder, knowledge.vocabulary);
  return (await retriever.search(query, { k: 3 })).map((result) => result.entry.id);
}

describe('buildIndex', () => {
  it('re-embeds only the passages of entries that changed', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const dataDir = temporaryDataDir();
    const embedder = new FakeEmbedder();
    const first = await buildIndex({ dataDir, knowledge: await loadKnowledge(knowledgeDir), embedder });
    expect(first.manifest.counts.reused).toBe(0);
    const totalPassages = first.manifest.counts.chunks;

    const path = join(knowledgeDir, 'cases', 'regional-foresight.md');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        'Link foresight to a decision.',
        'Link foresight to a budget decision.',
      ),
    );
    embedder.embedDocumentsCalls.length = 0;
    const second = await buildIndex({ dataDir, knowledge: await loadKnowledge(knowledgeDir), embedder });

    const embeddedTexts = embedder.embedDocumentsCalls.flat();
    expect(embeddedTexts).toHaveLength(1);
    expect(embeddedTexts[0]).toContain('Link foresight to a budget decision.');
    expect(second.manifest.counts).toMatchObject({
      chunks: totalPassages,
      embedded: 1,
      reused: totalPassages - 1,
    });
    expect(second.manifest.knowledgeHash).not.toBe(first.manifest.knowledgeHash);
  });

  it('leaves the previous index serving when a build fails midway', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const dataDir = temporaryDataDir();
    await buildIndex({ dataDir, knowledge: await loadKnowledge(knowledgeDir), embedder: new FakeEmbedder() });
    const pointerBefore = readFileSync(indexPaths(dataDir).current, 'utf8');
    const before = await searchIds(dataDir, knowledgeDir, 'residents vote on the city budget');

    // Every passage changes, so the build must embed all of them and dies after the first batch.
    const knowledge = await loadKnowledge(knowledgeDir);
    for (const entry of knowledge.entries) entry.summary = `${entry.summary} Revised.`;
    const failing = buildIndex({ dataDir, knowledge, embedder: new FailingEmbedder(1), batchSize: 2 });
    await expect(failing).rejects.toThrow(/embedding service went away/);

    expect(readFileSync(indexPaths(dataDir).current, 'utf8')).toBe(pointerBefore);
    expect(await searchIds(dataDir, knowledgeDir, 'residents vote on the city budget')).toEqual(before);
    expect(before[0]).toBe('city-budget-vote');
  });

  it(
    'ignores the half-written directory a killed build leaves behind, ' + 'and cleans up stale ones',
    async () => {
      const knowledgeDir = copyFixtureKnowledge();
      const dataDir = temporaryDataDir();
      await buildIndex({
        dataDir,
        knowledge: await loadKnowledge(knowledgeDir),
        embedder: new FakeEmbedder(),
      });
      // What SIGKILL during a build leaves: a .tmp directory with some files and no manifest.
      const { builds } = indexPaths(dataDir);
      const leftover = join(builds, '2000-01-01T00-00-00-000Z-1.tmp');
      mkdirSync(leftover);
      writeFileSync(join(leftover, 'vectors.f32'), Buffer.alloc(16));
      expect(await searchIds(dataDir, knowledgeDir, 'benefits without applying')).toContain(
        'national-benefit-offer',
      );

      await buildIndex({
        dataDir,
        knowledge: await loadKnowledge(knowledgeDir),
        embedder: new FakeEmbedder(),
      });
      const { utimesSync } = await import('node:fs');
      utimesSync(leftover, new Date(0), new Date(0));
      await buildIndex({
        dataDir,
        knowledge: await loadKnowledge(knowledgeDir),
        embedder: new FakeEmbedder(),
      });
      expect(existsSync(leftover)).toBe(false);
      expect(readdirSync(builds).filter((name) => !name.endsWith('.tmp'))).toHaveLength(2);
    },
  );

  it('refuses to load an index made by another embedder', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const dataDir = temporaryDataDir();
    await buildIndex({
      dataDir,
      knowledge: await loadKnowledge(knowledgeDir),
      embedder: new FakeEmbedder('fake-a', 64),
    });
    let error: unknown;
    try {
      loadIndex(dataDir, new FakeEmbedder('fake-b', 32));
    } catch (caught) {
      error = caught;
    }
    expect(isNavigatorError(error, 'index_mismatch')).toBe(true);
    expect((error as Error).message).toContain('"fake-a" (64 dimensions)');
    expect((error as Error).message).toContain('navigator index');
  });

  it('rebuilds for the configured embedder when the persisted index was made by another', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const dataDir = temporaryDataDir();
    await buildIndex({
      dataDir,
      knowledge: await loadKnowledge(knowledgeDir),
      embedder: new FakeEmbedder('fake-a', 64),
    });
    const messages: string[] = [];
    const embedder = new FakeEmbedder('fake-b', 32);
    const opened = await openRetriever(
      loadConfig({ KNOWLEDGE_DIR: knowledgeDir, NAVIGATOR_DATA_DIR: dataDir }),
      { embedder, log: (message) => messages.push(message) },
    );
    expect(opened.index.manifest.embedder).toEqual({ id: 'fake-b', dimensions: 32 });
    expect(messages.join('\n')).toMatch(/built with embedder "fake-a".*rebuilding/);
    expect(embedder.embedDocumentsCalls.length).toBeGreaterThan(0);
  });

  it('builds the index on first use and reuses it when nothing changed', async () => {
    const knowledgeDir = copyFixtureKnowledge();
    const dataDir = temporaryDataDir();
    const config = loadConfig({ KNOWLEDGE_DIR: knowledgeDir, NAVIGATOR_DATA_DIR: dataDir });
    const first = new FakeEmbedder();
    await openRetriever(config, { embedder: first });
    expect(first.embedDocumentsCalls.length).toBeGreaterThan(0);
    const second = new FakeEmbedder();
    await openRetriever(config, { embedder: second });
    expect(second.embedDocumentsCalls).toHaveLength(0);
  });
});
