import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerFieldDecoder } from '../../src/assistant/llm/answer-field-decoder.js';
import { OpenAIStreamingAnswerModel } from '../../src/assistant/llm/streaming-answer-model.js';
import { createNavigator, type Navigator } from '../../src/assistant/navigator.js';
import { SafeTextStream } from '../../src/assistant/safe-text-stream.js';
import { finaliseText } from '../../src/assistant/stages/finalise.js';
import type { AnswerStreamEvent } from '../../src/assistant/stream-answer.js';
import { loadConfig } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';
import { startFakeOpenAIServer, streamPieces, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { dataDirWithSharedEmbeddings } from '../support/shared-embeddings.js';

const draftText =
  'Estonia pays family benefits **without an application** [1].\n\n\n' +
  '- Parents are told, not asked [1][2]\n- See [the guide](https://evil.example/guide) and [9].\n' +
  'Quote: "it just arrives" — é ✓ @channel';
const reply = JSON.stringify({ answer: draftText, cited: [1, 2] });

describe('reading the answer field of a streamed JSON reply', () => {
  it('decodes escapes and unicode cut anywhere, in any piece size', () => {
    for (const size of [1, 2, 3, 7, 50]) {
      const decoder = new AnswerFieldDecoder();
      const text = streamPieces(reply, Math.ceil(reply.length / size))
        .map((piece) => decoder.push(piece))
        .join('');
      expect(text).toBe(draftText);
      expect(decoder.received).toBe(reply);
    }
  });
});

describe('safe pieces of streamed text', () => {
  const citations = [
    { id: 'a', type: 'case', title: 'A', url: 'https://ok.example/a' },
    { id: 'b', type: 'toolkit', title: 'B' },
  ];
  it('joined, equal the finished text; no piece holds half a link or an unchecked marker', () => {
    for (const size of [1, 4, 13]) {
      const safe = new SafeTextStream(citations);
      const pieces = streamPieces(draftText, Math.ceil(draftText.length / size)).map((raw) => safe.push(raw));
      pieces.push(safe.end());
      const expected = finaliseText(draftText, citations).replace(/\n{3,}/g, '\n\n');
      expect(pieces.join('')).toBe(expected);
      expect(safe.text).toBe(expected);
      expect(expected).not.toContain('evil.example');
      expect(expected).not.toContain('[9]');
      for (const piece of pieces) expect(piece).not.toMatch(/\[[^\]]*$|\([^)]*$/);
    }
  });
});

describe('streaming a grounded answer from a loopback OpenAI-compatible server', () => {
  let server: FakeOpenAIServer;
  let model: OpenAIStreamingAnswerModel;
  let navigator: Navigator;
  let offline: Navigator;
  const logs: string[] = [];
  const question = { text: 'Who has made benefits proactive?' };

  beforeAll(async () => {
    server = await startFakeOpenAIServer();
    model = new OpenAIStreamingAnswerModel({ baseURL: server.url, model: 'fake', timeoutMs: 500 });
    const config = loadConfig({
      KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
      NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
    });
    navigator = await createNavigator(config, {
      answerModel: model,
      messageReader: null,
      log: (line) => logs.push(line),
    });
    offline = await createNavigator(config, { answerModel: null, messageReader: null });
  });
  afterAll(async () => {
    await server.close();
  });

  const collect = async (events: AsyncIterable<AnswerStreamEvent>) => {
    const all: AnswerStreamEvent[] = [];
    for await (const event of events) all.push(event);
    return all;
  };
  const textAfterLastRestart = (events: AnswerStreamEvent[]) => {
    const start = events.map((event) => event.type).lastIndexOf('restart') + 1;
    return events
      .slice(start)
      .flatMap((event) => (event.type === 'text' ? [event.text] : []))
      .join('');
  };
  const request = {
    question: 'q',
    intent: 'peer_cases',
    passages: [{ marker: 1, id: 'a', type: 'case', title: 'A', text: 'x' }],
  };

  it('asks with stream: true and yields the answer text piece by piece', async () => {
    server.enqueue({ kind: 'stream', content: JSON.stringify({ answer: 'Yes, Estonia [1].', cited: [1] }) });
    const pieces: string[] = [];
    const stream = model.streamAnswer(request);
    let next = await stream.next();
    while (!next.done) {
      pieces.push(next.value);
      next = await stream.next();
    }
    expect(server.requests.at(-1)!.body.stream).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('Yes, Estonia [1].');
    expect(next.value).toEqual({ text: 'Yes, Estonia [1].', citedMarkers: [1] });
  });

  it('fails as llm_unavailable when the stream is cut off or goes silent midway', async () => {
    const content = JSON.stringify({ answer: 'Yes, Estonia pays it without asking [1].', cited: [1] });
    for (const behaviour of [
      { kind: 'stream' as const, content, cutAfter: 3 },
      { kind: 'stream' as const, content, stallAfter: 3 },
    ]) {
      // A stream that failed after its headers is not retried.
      server.enqueue(behaviour);
      const own = new OpenAIStreamingAnswerModel({ baseURL: server.url, model: 'fake', timeoutMs: 500 });
      const drain = async () => {
        for await (const piece of own.streamAnswer(request)) void piece;
      };
      await expect(drain()).rejects.toMatchObject({ code: 'llm_unavailable' });
    }
    expect(server.requests).toHaveLength(3);
  });

  it('streams the navigator’s answer: the pieces joined are the final text, with citations', async () => {
    server.enqueue({ kind: 'stream', content: reply, pieces: 20 });
    const events = await collect(navigator.askStream!(question));
    const final = events.at(-1)!;
    if (final.type !== 'final') throw new Error('no final answer');
    expect(final.answer.status).toBe('answered');
    expect(final.answer.citations.length).toBeGreaterThan(1);
    expect(events.filter((event) => event.type === 'text').length).toBeGreaterThan(3);
    expect(events.some((event) => event.type === 'restart')).toBe(false);
    expect(textAfterLastRestart(events)).toBe(final.answer.text);
    expect(final.answer.text).toContain('without an application** [1]');
    expect(final.answer.text).not.toContain('evil.example');
    expect(final.answer.text).not.toMatch(/@channel|\[9\]/);
  });

  it('keeps the final answer when the stream is cut off midway: restart, then offline', async () => {
    server.enqueue({ kind: 'stream', content: reply, pieces: 20, cutAfter: 10 });
    const events = await collect(navigator.askStream!(question));
    const final = events.at(-1)!;
    if (final.type !== 'final') throw new Error('no final answer');
    const expected = await offline.ask(question);
    expect(final.answer.status).toBe('degraded');
    expect(final.answer.text).toBe(expected.text);
    expect(final.answer.citations).toEqual(expected.citations);
    expect(events.filter((event) => event.type === 'restart')).toHaveLength(1);
    expect(textAfterLastRestart(events)).toBe(final.answer.text);
    expect(logs.some((line) => line.includes('answering offline'))).toBe(true);
  });

  it('hands an offline answer out as one piece, then the final answer', async () => {
    const events = await collect(offline.askStream!(question));
    expect(events.map((event) => event.type)).toEqual(['text', 'final']);
    const [text, final] = events;
    if (text?.type !== 'text' || final?.type !== 'final') throw new Error('unexpected events');
    expect(text.text).toBe(final.answer.text);
    expect(final.answer.citations.length).toBeGreaterThan(0);
  });
});
