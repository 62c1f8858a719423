import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markdownForStream } from '../../../adapters/slack/mrkdwn.js';
import { OpenAIStreamingAnswerModel } from '../../../src/assistant/llm/streaming-answer-model.js';
import { createNavigator, type Navigator } from '../../../src/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import { appMention, eventEnvelope } from './support/slack-requests.js';
import {
  navigatorConfig,
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  type SlackTestServer,
} from './support/slack-test-server.js';

const question = 'We want to make our benefits reach people automatically — who has done this?';
const drafted =
  'Estonia pays family benefits **without an application** [1]. Parents are told, not asked [2].\n\n' +
  '- Start from the life event [1]\n- Then check what data you already hold [2]';
const reply = JSON.stringify({ answer: drafted, cited: [1, 2] });

let dataDir: string;
let model: FakeOpenAIServer;
let navigator: Navigator;
let offline: Navigator;
let fake: FakeSlackApi;
let slack: SlackTestServer | undefined;

beforeAll(async () => {
  dataDir = preparedDataDir();
  model = await startFakeOpenAIServer();
  navigator = await createNavigator(navigatorConfig(dataDir), {
    answerModel: new OpenAIStreamingAnswerModel({ baseURL: model.url, model: 'fake', timeoutMs: 2_000 }),
    messageReader: null,
  });
  offline = await realNavigator(dataDir);
});
afterAll(async () => {
  await model.close();
});
beforeEach(async () => {
  fake = await startFakeSlackApi();
});
afterEach(async () => {
  await slack?.close();
  await fake.close();
});

const streamedText = () =>
  [...fake.delivered('chat.startStream'), ...fake.delivered('chat.appendStream')]
    .map((call) => call.args.markdown_text as string)
    .join('');
const sourcesOf = (blocks: any[]) =>
  blocks
    .filter((block) => block.type === 'context')
    .flatMap((block) => block.elements.map((element: any) => element.text as string))
    .join(' ');

describe('Slack streaming while the model writes', () => {
  it('streams a mention’s answer: appended text is the final text, every [n] resolves', async () => {
    model.enqueue({ kind: 'stream', content: reply, pieces: 24 });
    slack = await startSlackTestServer(navigator, fake, dataDir);
    const mention = appMention(question);
    await slack.send(eventEnvelope(mention));
    await fake.waitFor('the stream to stop', () => fake.delivered('chat.stopStream')[0]);
    await slack.close();
    const [start] = fake.delivered('chat.startStream');
    expect(start!.args).toMatchObject({
      channel: mention.channel,
      thread_ts: mention.ts,
      recipient_user_id: 'U0ALICE',
      recipient_team_id: 'T0PSI',
    });
    expect(fake.delivered('chat.appendStream').length).toBeGreaterThan(0);
    expect(streamedText()).toBe(markdownForStream(drafted));
    const [stop] = fake.delivered('chat.stopStream');
    expect(blockKitProblems({ text: 'stop', blocks: stop!.args.blocks })).toEqual([]);
    const sources = sourcesOf(stop!.args.blocks);
    for (const marker of new Set(drafted.match(/\[\d+\]/g)))
      expect(sources).toMatch(new RegExp(`\\${marker.slice(0, -1)}\\] <https?://[^|]+\\|`));
    expect(stop!.args.blocks.some((block: any) => block.type === 'context_actions')).toBe(true);
    expect(fake.delivered('chat.postMessage')).toHaveLength(0);
  });

  it('keeps the answer when the model’s stream is cut off: a note, then the offline answer', async () => {
    model.enqueue({ kind: 'stream', content: reply, pieces: 24, cutAfter: 14 });
    slack = await startSlackTestServer(navigator, fake, dataDir);
    await slack.send(eventEnvelope(appMention(question)));
    await fake.waitFor('the stream to stop', () => fake.delivered('chat.stopStream')[0]);
    await slack.close();
    const expected = await offline.ask({ text: question });
    const text = streamedText();
    expect(text).toContain('The language model stopped midway');
    expect(text.endsWith(markdownForStream(expected.text))).toBe(true);
    const [stop] = fake.delivered('chat.stopStream');
    expect(JSON.stringify(stop!.args.blocks)).toContain('language model was unavailable');
    expect(slack.logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('posts one message when Slack will not stream, with the whole drafted answer', async () => {
    model.enqueue({ kind: 'stream', content: reply, pieces: 24 });
    fake.refuse('chat.startStream', 'unknown_method');
    slack = await startSlackTestServer(navigator, fake, dataDir);
    await slack.send(eventEnvelope(appMention(question)));
    await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[0]);
    await slack.close();
    const posts = fake.delivered('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(blockKitProblems(posts[0]!.args)).toEqual([]);
    const body = posts[0]!.args.blocks.find((block: any) => block.type === 'section');
    expect(body).toMatchObject({ expand: true });
    expect(body.text.text).toContain('Estonia pays family benefits *without an application* [1]');
    expect(fake.delivered('chat.appendStream')).toHaveLength(0);
  });

  it('posts an offline answer the usual way, without a stream', async () => {
    slack = await startSlackTestServer(offline, fake, dataDir);
    await slack.send(eventEnvelope(appMention(question)));
    await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[0]);
    await slack.close();
    expect(fake.callsTo('chat.startStream')).toHaveLength(0);
    expect(fake.delivered('chat.postMessage')).toHaveLength(1);
  });
});
