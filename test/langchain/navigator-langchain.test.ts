import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import type { Document } from '@langchain/core/documents';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isNavigatorError } from '../../src/errors.js';
import {
  NavigatorRetriever,
  NavigatorVectorStore,
  openRetriever,
  type OpenedRetriever,
} from '../../src/index.js';
import { projectRoot } from '../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../support/shared-embeddings.js';

let opened: OpenedRetriever;

beforeAll(async () => {
  opened = await openRetriever(
    loadConfig({
      KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
      NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
    }),
  );
});

describe('NavigatorRetriever (LangChain BaseRetriever)', () => {
  it('returns the entries of the hybrid search, in its order, with metadata', async () => {
    const query = 'residents vote on part of the city budget';
    const retriever = new NavigatorRetriever({ retriever: opened.retriever, k: 5 });
    const documents = await retriever.invoke(query);
    const own = await opened.retriever.search(query, { k: 5 });
    expect(documents.map((document) => document.metadata.id)).toEqual(own.map((result) => result.entry.id));
    const [top] = documents;
    expect(top!.metadata).toMatchObject({ type: 'case', title: own[0]!.entry.title, score: own[0]!.score });
    expect(top!.metadata.facets.length).toBeGreaterThan(0);
    expect(top!.metadata.stages.length).toBeGreaterThan(0);
    expect(top!.metadata.url).toMatch(/^https?:\/\//);
    expect(top!.pageContent.startsWith(own[0]!.entry.title)).toBe(true);
    const scores = documents.map((document) => document.metadata.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('applies the Navigator filters as options', async () => {
    const local = new NavigatorRetriever({
      retriever: opened.retriever,
      k: 8,
      filters: { types: ['case'], levels: ['local'] },
    });
    const documents = await local.invoke('participatory budgeting');
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents)
      expect(document.metadata).toMatchObject({ type: 'case', level: 'local' });
    const estonia = await local.withFilters({ countries: ['Estonia'] }).invoke('proactive benefits');
    expect(estonia.every((document) => document.metadata.country === 'Estonia')).toBe(true);
  });

  it('feeds a LangChain chain with a fake chat model, which sees the retrieved passages', async () => {
    const retriever = new NavigatorRetriever({ retriever: opened.retriever, k: 3 });
    const prompts: string[] = [];
    const model = new FakeListChatModel({ responses: ['Estonia pays family benefits proactively [1].'] });
    const formatDocuments = (documents: Document[]) =>
      documents.map((document, index) => `[${index + 1}] ${document.pageContent}`).join('\n\n');
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer from the passages only.\n{context}'],
      ['human', '{question}'],
    ]);
    const chain = RunnableSequence.from([
      { context: retriever.pipe(formatDocuments), question: new RunnablePassthrough() },
      prompt,
      (value: Awaited<ReturnType<typeof prompt.invoke>>) => {
        prompts.push(value.toString());
        return value;
      },
      model,
      new StringOutputParser(),
    ]);
    const answer = await chain.invoke('Who pays family benefits without an application?');
    expect(answer).toBe('Estonia pays family benefits proactively [1].');
    expect(prompts[0]).toContain('Proactive family benefits in Estonia');
  });
});

describe('NavigatorVectorStore (LangChain VectorStore over the Navigator index)', () => {
  it('finds passages by similarity, best first, with cosine scores and filters', async () => {
    const store = new NavigatorVectorStore(opened.embedder, opened.index, opened.retriever);
    const results = await store.similaritySearchWithScore('strategic foresight for a ministry', 6, {
      types: ['toolkit'],
    });
    expect(results.length).toBe(6);
    const scores = results.map(([, score]) => score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const [document, score] of results) {
      expect(document.metadata.type).toBe('toolkit');
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1.0001);
    }
    const asRetriever = store.asRetriever({ k: 2, filter: { types: ['case'], countries: ['Finland'] } });
    const documents = await asRetriever.invoke('basic income experiment');
    expect(documents.map((document) => document.metadata.country)).toEqual(['Finland', 'Finland']);
  });

  it('is read-only and says how entries get in', async () => {
    const store = new NavigatorVectorStore(opened.embedder, opened.index, opened.retriever);
    const error = await store.addDocuments([]).catch((caught: unknown) => caught);
    expect(isNavigatorError(error, 'index_read_only')).toBe(true);
    expect((error as Error).message).toContain('knowledge/');
  });
});
