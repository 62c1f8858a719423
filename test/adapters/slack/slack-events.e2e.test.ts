import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeFeedbackReference } from '../../../adapters/slack/feedback-reference.js';
import type { Navigator } from '../../../src/index.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackCall } from './support/fake-slack-api.js';
import {
  appMention,
  botUserId,
  channelMessage,
  directMessage,
  eventEnvelope,
  nextTs,
  postToSlack,
  signatureHeaders,
} from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  type SlackTestServer,
} from './support/slack-test-server.js';

let dataDir: string;
let navigator: Navigator;
let fake: FakeSlackApi;
let slack: SlackTestServer;

beforeAll(async () => {
  dataDir = preparedDataDir();
  navigator = await realNavigator(dataDir);
});
beforeEach(async () => {
  fake = await startFakeSlackApi();
  slack = await startSlackTestServer(navigator, fake, dataDir);
});
afterEach(async () => {
  await slack.close();
  await fake.close();
});

const sectionTexts = (call: FakeSlackCall) =>
  (call.args.blocks as any[])
    .filter((block) => block.type === 'section')
    .map((block) => block.text.text as string)
    .join('\n');

describe('Slack events over HTTP', () => {
  it("answers Slack's url_verification challenge", async () => {
    const response = await slack.send(
      JSON.stringify({ token: 'legacy', challenge: 'challenge-3eZbrw1aBm2', type: 'url_verification' }),
    );
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ challenge: 'challenge-3eZbrw1aBm2' });
  });

  it(
    'refuses a bad signature, a tampered body or a stale timestamp ' + 'with 401 and answers nothing',
    async () => {
      const body = eventEnvelope(appMention('Who has made benefits proactive?'));
      const wrongSecret = await postToSlack(
        slack.endpoint,
        body,
        'application/json',
        signatureHeaders(body, 'not-the-secret'),
      );
      const tampered = await postToSlack(
        slack.endpoint,
        body.replace('proactive', 'reactive'),
        'application/json',
        signatureHeaders(body),
      );
      const stale = await postToSlack(
        slack.endpoint,
        body,
        'application/json',
        signatureHeaders(body, undefined, Math.floor(Date.now() / 1000) - 6 * 60),
      );
      const unsigned = await postToSlack(slack.endpoint, body, 'application/json', {});
      expect([wrongSecret.status, tampered.status, stale.status, unsigned.status]).toEqual([
        401, 401, 401, 401,
      ]);
      await slack.close();
      expect(fake.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);
    },
  );

  it(
    'answers an @-mention once, in its thread, with sources, peer cases, methods and feedback; ' +
      'a retry of the event is ignored',
    async () => {
      const mention = appMention(
        'We want to make our benefits reach people automatically — who has done this?',
      );
      const body = eventEnvelope(mention, 'Ev0MENTION1');
      const first = await slack.send(body);
      const retry = await slack.send(body, 'application/json', {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      });
      expect([first.status, retry.status]).toEqual([200, 200]);
      await slack.close();

      const posts = fake.delivered('chat.postMessage');
      expect(posts).toHaveLength(1);
      const post = posts[0]!;
      expect(post.hadToken).toBe(true);
      expect(post.args).toMatchObject({ channel: mention.channel, thread_ts: mention.ts });
      expect(blockKitProblems(post.args)).toEqual([]);
      const blocks = post.args.blocks as any[];
      expect(sectionTexts(post)).toContain('Social Insurance Board');
      expect(blocks.some((block) => block.type === 'context' && block.elements[0].text === '*Sources*')).toBe(
        true,
      );
      expect(
        blocks.some((block) => block.type === 'section' && block.text.text === '*Peer cases: whom to ask*'),
      ).toBe(true);
      expect(
        blocks.some((block) => block.type === 'section' && block.text.text === '*Methods and toolkits*'),
      ).toBe(true);
      expect(blocks.find((block) => block.type === 'context_actions')?.elements[0].type).toBe(
        'feedback_buttons',
      );
      expect(blocks.at(-1).elements[0].text).toContain('AI-generated');
      expect(fake.callsTo('assistant.threads.setStatus')[0]?.args).toMatchObject({
        channel_id: mention.channel,
        thread_ts: mention.ts,
        status: 'is thinking…',
      });
    },
  );

  it(
    'answers a mention delivered both as app_mention and as a message event once, ' +
      'and ignores bots, edits and chatter',
    async () => {
      const mention = appMention('Which method fits a cross-ministry climate goal?');
      const asMessage = channelMessage(mention.text, mention.channel, mention.ts);
      const responses = [
        await slack.send(eventEnvelope(mention)),
        await slack.send(eventEnvelope(asMessage)),
        await slack.send(
          eventEnvelope({
            ...channelMessage('an answer', mention.channel, nextTs()),
            user: botUserId,
            bot_id: 'B0NAVIGATOR',
          }),
        ),
        await slack.send(
          eventEnvelope({
            ...channelMessage(`<@${botUserId}> from another bot`, mention.channel, nextTs()),
            bot_id: 'B0OTHER',
            subtype: 'bot_message',
          }),
        ),
        await slack.send(
          eventEnvelope({
            type: 'message',
            subtype: 'message_changed',
            channel: mention.channel,
            ts: nextTs(),
            message: { ...asMessage, text: `${mention.text} edited` },
          }),
        ),
        await slack.send(eventEnvelope(channelMessage('lunch anyone?', mention.channel, nextTs()))),
        await slack.send(
          eventEnvelope({ ...directMessage('my own DM echo'), user: botUserId, bot_id: 'B0NAVIGATOR' }),
        ),
      ];
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
      await slack.close();
      const posts = fake.delivered('chat.postMessage');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.args.thread_ts).toBe(mention.ts);
    },
  );

  it(
    'answers direct messages in a thread ' + 'and keeps the conversation for follow-ups in that thread',
    async () => {
      const question = directMessage('Who has run participatory budgeting?');
      await slack.send(eventEnvelope(question));
      const first = await fake.waitFor('the first answer', () => fake.delivered('chat.postMessage')[0]);
      expect(first.args).toMatchObject({ channel: question.channel, thread_ts: question.ts });
      const peerCards = (first.args.blocks as any[]).filter(
        (block) => block.type === 'section' && /^\*<http/.test(block.text.text),
      );
      const secondTitle = /\|([^>]+)>/.exec(peerCards[1].text.text)![1]!;

      // A reply in the DM thread goes through Bolt's Assistant (assistant layout) to the same conversation.
      await slack.send(
        eventEnvelope(
          directMessage('tell me more about the second one', question.channel, nextTs(), question.ts),
        ),
      );
      const second = await fake.waitFor('the follow-up answer', () => fake.delivered('chat.postMessage')[1]);
      expect(second.args.thread_ts).toBe(question.ts);
      expect(sectionTexts(second)).toContain(secondTitle);
      const conversationOf = (call: FakeSlackCall) =>
        decodeFeedbackReference(
          (call.args.blocks as any[]).find((block) => block.type === 'context_actions').elements[0]
            .positive_button.value,
        )?.conversationId;
      expect(conversationOf(first)).toBe(`slack:${question.channel}:${question.ts}`);
      expect(conversationOf(second)).toBe(conversationOf(first));
      expect(fake.callsTo('assistant.threads.setTitle')[0]?.args).toMatchObject({
        channel_id: question.channel,
        thread_ts: question.ts,
        title: 'tell me more about the second one',
      });
    },
  );

  it(
    "offers the core's example questions as suggested prompts " +
      'in the Messages tab and in new assistant threads',
    async () => {
      await slack.send(
        eventEnvelope({
          type: 'app_home_opened',
          user: 'U0ALICE',
          channel: 'D0ALICE',
          tab: 'messages',
          event_ts: nextTs(),
        }),
      );
      const threadTs = nextTs();
      await slack.send(
        eventEnvelope({
          type: 'assistant_thread_started',
          assistant_thread: { user_id: 'U0ALICE', context: {}, channel_id: 'D0ALICE', thread_ts: threadTs },
          event_ts: nextTs(),
        }),
      );
      await slack.close();
      const [messagesTab, assistantThread] = fake
        .callsTo('assistant.threads.setSuggestedPrompts')
        .map((call) => call.args);
      expect(messagesTab).toMatchObject({ channel_id: 'D0ALICE' });
      expect(messagesTab!.thread_ts).toBeUndefined();
      expect(assistantThread).toMatchObject({ channel_id: 'D0ALICE', thread_ts: threadTs });
      expect(messagesTab!.prompts.map((prompt: { message: string }) => prompt.message)).toContain(
        'Who has made benefits proactive?',
      );
    },
  );
});
