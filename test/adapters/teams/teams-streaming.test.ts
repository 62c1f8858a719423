import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIStreamingAnswerModel } from '../../../src/assistant/llm/streaming-answer-model.js';
import { createNavigator, loadConfig, type Config } from '../../../src/index.js';
import { projectRoot } from '../../../src/paths.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { dataDirWithSharedEmbeddings } from '../../support/shared-embeddings.js';
import { adaptiveCard15Schema, textsOf } from './adaptive-card-schema.js';
import { startFakeBotConnector, type FakeBotConnector } from './support/fake-bot-connector.js';
import { channelThread, message, personalChat } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// Teams with a streaming language model: Teams-shaped activities into the real CloudAdapter, the
// model on a loopback OpenAI-compatible server, replies recorded by a fake Bot Framework connector.

const question = 'Who has made benefits proactive?';
const drafted =
  'Estonia pays family benefits **without an application** [1]. Parents are told, not asked [2]. ' +
  'Start from the life event and check what data you already hold [1].';

let config: Config;
let model: FakeOpenAIServer;
let connector: FakeBotConnector;
let server: TeamsTestServer;

beforeAll(async () => {
  config = loadConfig({
    KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
    NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
  });
  model = await startFakeOpenAIServer();
  const navigator = await createNavigator(config, {
    answerModel: new OpenAIStreamingAnswerModel({ baseURL: model.url, model: 'fake', timeoutMs: 2_000 }),
    messageReader: null,
  });
  connector = await startFakeBotConnector();
  server = await startTeamsServer(config, navigator, { streamIntervalMs: 20 });
});
afterAll(async () => {
  await server?.close();
  await connector?.close();
  await model?.close();
});

const streamInfoOf = (activity: any) =>
  (activity.entities ?? []).find((entity: any) => entity.type === 'streaminfo');

describe('Teams streaming in a personal chat', () => {
  it('streams typing updates with streaminfo, then a final message with citations and AI label', async () => {
    model.enqueue({
      kind: 'stream',
      content: JSON.stringify({ answer: drafted, cited: [1, 2] }),
      pieces: 30,
    });
    const where = personalChat(connector.serviceUrl, 'a:1streaming-chat');
    const start = connector.delivered().length;
    const asked = message(where, question);
    expect((await server.post(asked)).status).toBe(200);
    // The informative update is sent in the turn, the rest in a proactive turn.
    const calls = (
      await connector.waitFor((delivered) =>
        delivered.slice(start).some((call) => call.activity.type === 'message'),
      )
    ).slice(start);
    const [informative, ...rest] = calls;
    for (const call of calls) expect(call.replyToId).toBe(asked.id);
    expect(informative!.activity).toMatchObject({
      type: 'typing',
      text: 'Searching cases and toolkits…',
      entities: [{ type: 'streaminfo', streamType: 'informative', streamSequence: 1 }],
    });
    const streamId = informative!.id;
    const updates = rest.filter((call) => call.activity.type === 'typing');
    expect(updates.length).toBeGreaterThan(0);
    let previous = '';
    for (const [index, update] of updates.entries()) {
      expect(streamInfoOf(update.activity)).toEqual({
        type: 'streaminfo',
        streamId,
        streamType: 'streaming',
        streamSequence: index + 2,
      });
      // Each update holds the whole text so far, so each starts with the one before.
      expect(update.activity.text.startsWith(previous)).toBe(true);
      previous = update.activity.text;
    }
    expect(drafted.startsWith(previous)).toBe(true);
    const finals = rest.filter((call) => call.activity.type === 'message');
    expect(finals).toHaveLength(1);
    const final = finals[0]!.activity;
    expect(streamInfoOf(final)).toEqual({ type: 'streaminfo', streamId, streamType: 'final' });
    expect(final.text).toContain('without an application** [1]');
    const label = final.entities.find((entity: any) => entity['@type'] === 'Message');
    expect(label.additionalType).toEqual(['AIGeneratedContent']);
    expect(label.citation.map((claim: any) => claim.position)).toEqual([1, 2]);
    for (const claim of label.citation) expect(claim.appearance.url).toMatch(/^https?:\/\//);
    // The card below the text carries the lists, sources and 👍/👎 (no second copy of the text).
    const card = final.attachments[0].content;
    expect(adaptiveCard15Schema.safeParse(card).error).toBeUndefined();
    expect(textsOf(card).some((text) => text.includes('without an application'))).toBe(false);
  });

  it('ends a stream cut off midway with the offline answer as the final message', async () => {
    const content = JSON.stringify({ answer: drafted, cited: [1, 2] });
    model.enqueue({ kind: 'stream', content, pieces: 30, cutAfter: 15 });
    const where = personalChat(connector.serviceUrl, 'a:1cut-off-chat');
    const start = connector.delivered().length;
    await server.post(message(where, question));
    const calls = (
      await connector.waitFor((delivered) =>
        delivered.slice(start).some((call) => call.activity.type === 'message'),
      )
    ).slice(start);
    const final = calls.find((call) => call.activity.type === 'message')!.activity;
    expect(streamInfoOf(final)).toMatchObject({ streamType: 'final', streamId: calls[0]!.id });
    expect(final.text).not.toContain('without an application');
    expect(textsOf(final.attachments[0].content).join(' ')).toMatch(/without the language model/);
    expect(
      final.entities.find((entity: any) => entity['@type'] === 'Message').citation.length,
    ).toBeGreaterThan(0);
    const updates = calls.filter((call) => streamInfoOf(call.activity)?.streamType === 'streaming');
    for (const update of updates) expect(drafted.startsWith(update.activity.text)).toBe(true);
  });

  it('keeps today’s single reply in a channel thread: no stream entities', async () => {
    model.enqueue({ kind: 'stream', content: JSON.stringify({ answer: drafted, cited: [1, 2] }) });
    const start = connector.delivered().length;
    const where = channelThread(connector.serviceUrl, '1700000000777');
    await server.post(message(where, question, { mention: true }));
    // Answered from the stored job, after the turn's 200.
    await connector.waitFor((delivered) =>
      delivered.slice(start).some((call) => call.activity.type === 'message'),
    );
    const calls = connector.delivered().slice(start);
    expect(calls.some((call) => streamInfoOf(call.activity))).toBe(false);
    expect(calls.filter((call) => call.activity.type === 'message')).toHaveLength(1);
  });
});

describe('feedback on an answer card', () => {
  it('is recorded and acknowledged to the presser alone: nothing is posted to the conversation', async () => {
    model.enqueue({ kind: 'stream', content: JSON.stringify({ answer: drafted, cited: [1, 2] }) });
    const where = channelThread(connector.serviceUrl, '1700000000888');
    const start = connector.delivered().length;
    await server.post(message(where, question, { mention: true }));
    const answer = (
      await connector.waitFor((delivered) =>
        delivered.slice(start).some((call) => call.activity.type === 'message'),
      )
    ).at(-1)!;
    const thumbsDown = answer.activity.attachments[0].content.actions[1];
    expect(thumbsDown).toMatchObject({ type: 'Action.Execute', verb: 'navigator.feedback' });
    const before = connector.calls.length;
    const invoke = {
      ...message(where, ''),
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: answer.id,
      value: {
        action: { type: 'Action.Execute', verb: thumbsDown.verb, data: thumbsDown.data },
        trigger: 'manual',
      },
    };
    const response = await server.post(invoke);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringMatching(/feedback is recorded/),
    });
    expect(connector.calls.length).toBe(before);
    // Newest first.
    const [last] = await server.store.feedback.since(new Date(0));
    expect(last).toMatchObject({ channel: 'teams', rating: 'not_helpful', question });
  });

  it('refuses an Action.Execute it did not send, still without a message', async () => {
    const where = personalChat(connector.serviceUrl, 'a:1odd-action');
    const before = connector.calls.length;
    const response = await server.post({
      ...message(where, ''),
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'delete.everything', data: {} } },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).statusCode).toBe(400);
    expect(connector.calls.length).toBe(before);
  });
});

describe('a streamed answer and its stored job', () => {
  it('is answered once: the held job finds the stream’s send key and sends nothing', async () => {
    const held = await startTeamsServer(
      loadConfig({
        KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
        NAVIGATOR_DATA_DIR: dataDirWithSharedEmbeddings(),
      }),
      await createNavigator(config, {
        answerModel: new OpenAIStreamingAnswerModel({ baseURL: model.url, model: 'fake', timeoutMs: 2_000 }),
        messageReader: null,
      }),
      { streamIntervalMs: 20, streamHoldMs: 3_000 },
    );
    try {
      model.enqueue({
        kind: 'stream',
        content: JSON.stringify({ answer: drafted, cited: [1, 2] }),
        pieces: 10,
      });
      const where = personalChat(connector.serviceUrl, 'a:1held-job-chat');
      const start = connector.delivered().length;
      const asked = message(where, question);
      expect((await held.post(asked)).status).toBe(200);
      // The same activity again (a Bot Framework redelivery): no second stream, no second job.
      expect((await held.post(asked)).status).toBe(200);
      await connector.waitFor((delivered) =>
        delivered.slice(start).some((call) => call.activity.type === 'message'),
      );
      // Wait for the held job to run and finish.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [row] = await held.store.sql.query<{ status: string; attempts: number }>(
          "SELECT status, attempts FROM jobs WHERE payload->>'activityId' = $1",
          [asked.id],
        );
        if (row?.status === 'done') {
          expect(row.attempts).toBe(1);
          break;
        }
        if (Date.now() > deadline) throw new Error(`the held job did not finish: ${JSON.stringify(row)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const calls = connector.delivered().slice(start);
      expect(calls.filter((call) => call.activity.type === 'message')).toHaveLength(1);
      expect(calls.filter((call) => streamInfoOf(call.activity)?.streamType === 'informative')).toHaveLength(
        1,
      );
    } finally {
      await held.close();
    }
  });
});
