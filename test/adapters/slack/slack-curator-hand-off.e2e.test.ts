import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeFeedbackReference } from '../../../adapters/slack/feedback-reference.js';
import type { Navigator } from '../../../src/index.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackCall } from './support/fake-slack-api.js';
import {
  appMention,
  blockActions,
  eventEnvelope,
  interactionBody,
  nextTs,
  team,
  viewSubmission,
} from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  type SlackTestServer,
} from './support/slack-test-server.js';

// "Ask a curator" over loopback: the real Bolt receiver, signed requests, the fake Web API.

const curatorChannel = 'C0CURATORS';
const form = 'application/x-www-form-urlencoded';
const withCurators = {
  NAVIGATOR_CURATOR_CHANNEL_SLACK: curatorChannel,
  // Six seconds: long enough that the test's two comments fall in one period.
  NAVIGATOR_CURATOR_FEEDBACK_MINUTES: '0.1',
};

let dataDir: string;
let navigator: Navigator;
let fake: FakeSlackApi | undefined;
let slack: SlackTestServer | undefined;

beforeAll(async () => {
  dataDir = preparedDataDir();
  navigator = await realNavigator(dataDir);
});
afterEach(async () => {
  await slack?.close();
  await fake?.close();
  slack = undefined;
  fake = undefined;
});

async function start(environment: Record<string, string>) {
  fake = await startFakeSlackApi();
  slack = await startSlackTestServer(navigator, fake, dataDir, { environment });
  return { fake, slack };
}

/** Waits until no job is queued or running: everything the server was going to send is sent. */
async function settled(server: SlackTestServer): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const counts = await server.store.jobs.counts();
    if (counts.queued === 0 && counts.running === 0) return;
    if (Date.now() > deadline) throw new Error(`jobs did not settle: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const postsTo = (api: FakeSlackApi, channel: string, threadTs?: string) =>
  api
    .delivered('chat.postMessage')
    .filter(
      (call) => call.args.channel === channel && (threadTs === undefined || call.args.thread_ts === threadTs),
    );
const curatorButton = (post: FakeSlackCall) =>
  (post.args.blocks as any[])
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements)
    .find((element: any) => element.action_id === 'navigator_ask_curator');

/** Asks in a channel thread and returns the question and the answer's post. */
async function askInChannel(api: FakeSlackApi, server: SlackTestServer, text: string) {
  const mention = appMention(text);
  expect((await server.send(eventEnvelope(mention))).status).toBe(200);
  const answer = await api.waitFor('the answer', () => postsTo(api, mention.channel, mention.ts)[0]);
  return { mention, answer };
}

describe('Ask a curator in Slack', () => {
  it(
    'hands the question, the answer and a thread link to the curator channel once, ' +
      "and relays the curator's thread reply to the asker once, marked as from a person",
    async () => {
      const { fake: api, slack: server } = await start(withCurators);
      const question = 'Who has made benefits proactive?';
      const { mention, answer } = await askInChannel(api, server, question);
      expect(blockKitProblems(answer.args)).toEqual([]);
      const button = curatorButton(answer);
      expect(button).toBeDefined();

      // The asker presses the button twice (or Slack delivers the click twice).
      const click = blockActions(
        { type: 'button', action_id: 'navigator_ask_curator', value: button.value },
        { channel: mention.channel, messageTs: '1710009999.000100', threadTs: mention.ts },
      );
      (click.message as Record<string, unknown>).blocks = answer.args.blocks;
      (click.message as Record<string, unknown>).text = answer.args.text;
      for (let press = 0; press < 2; press += 1)
        expect((await server.send(interactionBody(click), form)).status).toBe(200);

      const handOffPost = await api.waitFor('the curator post', () => postsTo(api, curatorChannel)[0]);
      expect(blockKitProblems(handOffPost.args)).toEqual([]);
      const shown = JSON.stringify(handOffPost.args.blocks);
      expect(shown).toContain(question);
      expect(shown).toContain('Social Insurance Board'); // from the answer's text
      expect(shown).toContain(
        `https://psi.example/archives/${mention.channel}/p${mention.ts.replace('.', '')}`,
      );
      expect(api.callsTo('chat.getPermalink')[0]?.args).toMatchObject({
        channel: mention.channel,
        message_ts: mention.ts,
      });
      const notice = await api.waitFor('the note to the asker', () =>
        postsTo(api, mention.channel, mention.ts).find((call) => /went to a curator/.test(call.args.text)),
      );
      expect(notice.args.text).toContain('curator');

      const curatorTs = `${1_720_000_000 + Math.floor(Math.random() * 1000)}.000200`;
      const postTs = await handOffTs(server, mention);
      expect(postTs).toBeDefined();
      const stored = await server.store.handOffs.findByCuratorConversation(
        `slack:${curatorChannel}:${postTs}`,
      );
      expect(stored).toMatchObject({
        channel: 'slack',
        sourceConversation: `slack:${mention.channel}:${mention.ts}`,
        status: 'open',
        payload: { question },
      });

      // The curator answers in the post's thread; Slack delivers the event twice (a retry).
      const reply = eventEnvelope(
        {
          type: 'message',
          channel_type: 'group',
          channel: curatorChannel,
          user: 'U0CURATOR',
          text: 'Ask the Estonian Social Insurance Board team, I can introduce you.',
          ts: curatorTs,
          thread_ts: postTs,
          team,
        },
        'Ev0CURATORREPLY',
      );
      expect((await server.send(reply)).status).toBe(200);
      expect(
        (
          await server.send(reply, 'application/json', {
            'x-slack-retry-num': '1',
            'x-slack-retry-reason': 'http_timeout',
          })
        ).status,
      ).toBe(200);
      // A chat message in the curator channel that is no thread reply is not relayed.
      await server.send(
        eventEnvelope({
          type: 'message',
          channel: curatorChannel,
          user: 'U0CURATOR',
          text: 'lunch?',
          ts: nextTs(),
          team,
        }),
      );
      await api.waitFor('the relayed reply', () =>
        postsTo(api, mention.channel, mention.ts).find((call) => /^From a curator/.test(call.args.text)),
      );
      await settled(server);

      expect(postsTo(api, curatorChannel)).toHaveLength(1);
      const relayed = postsTo(api, mention.channel, mention.ts).filter((call) =>
        /curator/i.test(call.args.text),
      );
      expect(relayed.map((call) => call.args.text)).toEqual([
        expect.stringContaining('went to a curator'),
        'From a curator (a person, not the AI): ' +
          'Ask the Estonian Social Insurance Board team, I can introduce you.',
      ]);
      // No AI-generated note on a person's words.
      expect(JSON.stringify(relayed[1]!.args)).not.toContain('AI-generated');
      expect(
        (await server.store.handOffs.findByCuratorConversation(`slack:${curatorChannel}:${postTs}`))?.status,
      ).toBe('answered');
    },
  );

  it('shows no "Ask a curator" button without NAVIGATOR_CURATOR_CHANNEL_SLACK', async () => {
    const { fake: api, slack: server } = await start({});
    const { answer } = await askInChannel(api, server, 'Who has made benefits proactive?');
    expect(curatorButton(answer)).toBeUndefined();
    expect(JSON.stringify(answer.args.blocks)).not.toContain('navigator_ask_curator');
  });

  it('notifies the curator channel of 👎 comments in one batched post', async () => {
    const { fake: api, slack: server } = await start(withCurators);
    const comment = (rating: 'helpful' | 'not_helpful', question: string, text: string) =>
      interactionBody(
        viewSubmission(
          'navigator_feedback_comment',
          { feedback_comment: { comment: text } },
          JSON.stringify({
            reference: encodeFeedbackReference({ rating, question }),
            place: { channel: 'C0PUBLIC', user: 'U0ALICE' },
          }),
        ),
      );
    const sent = [
      await server.send(
        comment('not_helpful', 'Who runs participatory budgets?', 'Only national cases listed.'),
        form,
      ),
      await server.send(comment('helpful', 'What is foresight?', 'Great overview.'), form),
      await server.send(
        comment('not_helpful', 'Which toolkit for prototyping?', 'The link is broken.'),
        form,
      ),
    ];
    expect(sent.map((response) => response.status)).toEqual([200, 200, 200]);
    // Comments are recorded after the acknowledgement; wait for the three, then for the notice.
    await api.waitFor('the thank-yous', () => api.callsTo('chat.postEphemeral').length >= 3 || undefined);
    const notice = await api.waitFor('the 👎 notice', () => postsTo(api, curatorChannel)[0], 30_000);
    await settled(server);

    expect(postsTo(api, curatorChannel)).toHaveLength(1);
    const text = notice.args.text as string;
    expect(text).toContain('2 answer(s) were marked not helpful');
    expect(text).toContain('Only national cases listed.');
    expect(text).toContain('The link is broken.');
    expect(text).not.toContain('Great overview.');
  });
});

/** The ts Slack gave the curator post (the fake answers chat.postMessage with a fresh ts). */
async function handOffTs(server: SlackTestServer, mention: { channel: string; ts: string }) {
  const rows = await server.store.sql.query<{ curator_conversation: string }>(
    'SELECT curator_conversation FROM hand_offs WHERE source_conversation = $1',
    [`slack:${mention.channel}:${mention.ts}`],
  );
  return rows[0]?.curator_conversation.split(':').at(-1);
}
