import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIMessageReader } from '../../src/assistant/llm/message-reader.js';
import { createNavigator, type Navigator } from '../../src/assistant/navigator.js';
import { loadConfig } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { dataDirWithSharedEmbeddings } from '../support/shared-embeddings.js';

let server: FakeOpenAIServer;
let navigator: Navigator;
const logs: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAIServer();
  const config = loadConfig({
    KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
    NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
  });
  navigator = await createNavigator(config, {
    answerModel: null,
    messageReader: new OpenAIMessageReader({ baseURL: server.url, model: 'reader', timeoutMs: 800 }),
    log: (message) => logs.push(message),
  });
});

afterAll(async () => {
  await server.close();
});

const reading = (value: unknown) => ({ kind: 'answer' as const, content: JSON.stringify(value) });

describe('understanding with a language model (loopback OpenAI-compatible server)', () => {
  it('uses the model’s intents, English topic and hard filter for a Dutch message', async () => {
    server.enqueue(
      reading({
        language: 'nl',
        intents: ['peer_cases'],
        topic: 'proactive family benefits without an application',
        filters: [{ field: 'countries', value: 'Estonia', strength: 'hard' }],
      }),
    );
    const answer = await navigator.ask({
      text: 'Welk land keert kinderbijslag automatisch uit, in Estland?',
    });
    expect(answer.intent).toBe('peer_cases');
    expect(answer.peerCases.map((peer) => peer.id)).toContain('estonia-proactive-family-benefits');
    expect(answer.peerCases.every((peer) => peer.country === 'Estonia')).toBe(true);
    expect(answer.filtersApplied).toEqual(['in Estonia']);
    const request = server.requests.at(-1)!;
    expect(JSON.stringify(request.body.messages)).toContain('<message>');
    expect(JSON.stringify(request.body.messages)).toContain('Allowed countries:');
  });

  it('ignores a filter value that is not in the vocabulary, and keeps the rest', async () => {
    server.enqueue(
      reading({
        language: 'en',
        intents: ['peer_cases'],
        topic: 'participatory budgeting in cities',
        filters: [{ field: 'countries', value: 'Atlantis', strength: 'hard' }],
      }),
    );
    const answer = await navigator.ask({ text: 'participatory budgeting in Atlantis?' });
    expect(answer.status).toBe('answered');
    expect(answer.peerCases.length).toBeGreaterThan(0);
    expect(answer.filtersApplied).toEqual([]);
    expect(logs.some((line) => line.includes('unknown countries "Atlantis"'))).toBe(true);
  });

  it('falls back to the offline reading on garbage, malformed JSON or no reply in time', async () => {
    const question = 'Who has made benefits proactive?';
    const offline = await createNavigator(
      loadConfig({
        KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
        NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
      }),
      { answerModel: null, messageReader: null },
    );
    const expected = (await offline.ask({ text: question })).peerCases.map((peer) => peer.id);
    for (const behaviour of [
      { kind: 'answer' as const, content: 'Sure! The user wants peers.' },
      reading({ language: 'en', intents: ['dance'], topic: '', filters: 'all' }),
      {
        kind: 'delay' as const,
        ms: 2_000,
        then: reading({ language: 'en', intents: ['help'], topic: 'x', filters: [] }),
      },
    ]) {
      server.enqueue(behaviour);
      const answer = await navigator.ask({ text: question });
      expect(answer.intent).toBe('peer_cases');
      expect(answer.peerCases.map((peer) => peer.id)).toEqual(expected);
    }
    expect(
      logs.filter((line) => line.startsWith('Reading the message offline')).length,
    ).toBeGreaterThanOrEqual(3);
  });
});
