import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Navigator } from '../../../src/index.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import {
  appMention,
  blockActions,
  eventEnvelope,
  interactionBody,
  nextTs,
  slashCommandBody,
  team,
  viewSubmission,
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

const form = 'application/x-www-form-urlencoded';
/** Polls the store until `read` finds what it wants (feedback is recorded after the acknowledgement). */
async function eventually<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const feedbackLines = async () => (await slack.store.feedback.since(new Date(0))).reverse();
const buttons = (blocks: any[]) =>
  blocks.filter((block) => block.type === 'actions').flatMap((block) => block.elements);

describe('Slack commands and interactions over HTTP', () => {
  it(
    '/navigator answers privately after a quick acknowledgement, ' +
      'and "Share in channel" posts the answer for everyone',
    async () => {
      const command = await slack.send(
        slashCommandBody('Which method fits a cross-ministry climate goal?', fake.responseUrl('command-1')),
        form,
      );
      expect(command.status).toBe(200);
      expect(command.json()).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringContaining('Looking into'),
      });
      const answer = await fake.waitFor('the private answer', () =>
        fake.responseUrlPosts.find((post) => post.id === 'command-1'),
      );
      expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(blockKitProblems(answer.body)).toEqual([]);
      const actionIdsShown = buttons(answer.body.blocks).map((button: any) => button.action_id);
      expect(actionIdsShown).toEqual(
        expect.arrayContaining([
          'navigator_share',
          'navigator_feedback_helpful',
          'navigator_feedback_not_helpful',
        ]),
      );

      const share = buttons(answer.body.blocks).find((button: any) => button.action_id === 'navigator_share');
      const click = await slack.send(
        interactionBody(
          blockActions(
            { type: 'button', action_id: 'navigator_share', value: share.value },
            { ephemeral: true, responseUrl: fake.responseUrl('share-1') },
          ),
        ),
        form,
      );
      expect(click.status).toBe(200);
      await fake.waitFor('the private copy removed', () =>
        fake.responseUrlPosts.find((post) => post.id === 'share-1' && post.body.delete_original),
      );
      await slack.close();
      const shared = fake.responseUrlPosts.filter((post) => post.id === 'share-1').map((post) => post.body);
      expect(shared[0]).toMatchObject({ response_type: 'in_channel' });
      expect(shared[0].blocks.some((block: any) => block.type === 'context_actions')).toBe(true);
      expect(shared.at(-1)).toEqual({ delete_original: true });
    },
  );

  it(
    '"Share in channel" survives a failing response_url and a double click: ' +
      'the answer is shared once, after a retry',
    async () => {
      await slack.send(
        slashCommandBody('Who has made benefits proactive?', fake.responseUrl('command-2')),
        form,
      );
      const answer = await fake.waitFor('the private answer', () =>
        fake.responseUrlPosts.find((post) => post.id === 'command-2'),
      );
      const share = buttons(answer.body.blocks).find((button: any) => button.action_id === 'navigator_share');
      fake.failResponseUrl('share-2', 1);
      const click = () =>
        slack.send(
          interactionBody(
            blockActions(
              { type: 'button', action_id: 'navigator_share', value: share.value },
              { ephemeral: true, responseUrl: fake.responseUrl('share-2') },
            ),
          ),
          form,
        );
      const clicks = await Promise.all([click(), click()]);
      expect(clicks.map((response) => response.status)).toEqual([200, 200]);
      await fake.waitFor('the private copy removed after the retried share', () =>
        fake.responseUrlPosts.find((post) => post.id === 'share-2' && post.body.delete_original),
      );
      expect(await slack.store.sharedAnswers.get(share.value)).toBeUndefined();
      await slack.close();
      const shared = fake.responseUrlPosts.filter((post) => post.id === 'share-2').map((post) => post.body);
      const inChannel = shared.filter((body) => body.response_type === 'in_channel');
      // Each message of the answer once, then the private copy removed, once.
      expect(inChannel.length).toBeGreaterThan(0);
      expect(new Set(inChannel.map((body) => JSON.stringify(body))).size).toBe(inChannel.length);
      expect(shared.filter((body) => body.delete_original)).toHaveLength(1);
    },
  );

  it('says so when a kept answer can no longer be shared', async () => {
    const click = await slack.send(
      interactionBody(
        blockActions(
          { type: 'button', action_id: 'navigator_share', value: 'no-such-share' },
          { ephemeral: true, responseUrl: fake.responseUrl('share-3') },
        ),
      ),
      form,
    );
    expect(click.status).toBe(200);
    const notice = await fake.waitFor('the notice', () =>
      fake.responseUrlPosts.find((post) => post.id === 'share-3'),
    );
    expect(notice.body.text).toContain('can no longer be shared');
  });

  it("/navigator help answers in the acknowledgement itself, with the core's help text", async () => {
    const response = await slack.send(slashCommandBody('help', fake.responseUrl('help-1')), form);
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('I answer questions about public sector innovation');
    expect(blockKitProblems(body)).toEqual([]);
    await slack.close();
    expect(fake.responseUrlPosts).toEqual([]);
  });

  it(
    "records 👎 feedback from the answer's feedback buttons, thanks the user, " +
      'and adds a written comment from the modal',
    async () => {
      const mention = appMention('Who has made benefits proactive?');
      await slack.send(eventEnvelope(mention));
      const answer = await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[0]);
      const feedbackElement = (answer.args.blocks as any[]).find((block) => block.type === 'context_actions')
        .elements[0];
      const answerTs = '1710009999.000200';

      const click = blockActions(
        {
          type: 'feedback_buttons',
          action_id: feedbackElement.action_id,
          value: feedbackElement.negative_button.value,
          text: { type: 'plain_text', text: '👎' },
        },
        {
          messageTs: answerTs,
          threadTs: mention.ts,
          responseUrl: fake.responseUrl('feedback-1'),
          text: answer.args.text as string,
        },
      );
      expect((await slack.send(interactionBody(click), form)).status).toBe(200);
      const thanks = await fake.waitFor('the thank-you', () =>
        fake.responseUrlPosts.find((post) => post.id === 'feedback-1'),
      );
      expect(thanks.body).toMatchObject({
        response_type: 'ephemeral',
        text: 'Thanks, your feedback is recorded.',
      });
      const recorded = await eventually('the feedback line', async () => (await feedbackLines())[0]);
      expect(recorded).toMatchObject({
        channel: 'slack',
        rating: 'not_helpful',
        // The user is kept only as a salted hash.
        userHash: expect.not.stringContaining('U0ALICE'),
        question: 'Who has made benefits proactive?',
        conversationId: `slack:${mention.channel}:${mention.ts}`,
        // What the curators open: the rated answer's text and its permalink.
        answer: answer.args.text,
        answerLink: 'https://psi.example/archives/C0PUBLIC/p1710009999000200',
      });
      expect(recorded.answer).toContain('proactive');
      expect(recorded.citedIds.length).toBeGreaterThan(0);

      const commentButton = buttons(thanks.body.blocks).find(
        (button: any) => button.action_id === 'navigator_feedback_comment',
      );
      await slack.send(
        interactionBody(
          blockActions(
            { type: 'button', action_id: 'navigator_feedback_comment', value: commentButton.value },
            { ephemeral: true, responseUrl: fake.responseUrl('feedback-2') },
          ),
        ),
        form,
      );
      const opened = await fake.waitFor('the comment modal', () => fake.callsTo('views.open')[0]);
      expect(opened.args.view.callback_id).toBe('navigator_feedback_comment');
      const submission = viewSubmission(
        'navigator_feedback_comment',
        { feedback_comment: { comment: 'The Estonian case is national, we are a city.' } },
        opened.args.view.private_metadata,
      );
      const submitted = await slack.send(interactionBody(submission), form);
      expect(submitted.status).toBe(200);
      const lines = await eventually('the comment', async () => {
        const found = await feedbackLines();
        return found.length >= 2 ? found : undefined;
      });
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatchObject({
        rating: 'not_helpful',
        comment: 'The Estonian case is national, we are a city.',
        conversationId: recorded.conversationId,
        answerLink: recorded.answerLink,
      });
    },
  );

  it("asks a follow-up button's question in the same thread", async () => {
    const mention = appMention('Who has run participatory budgeting?');
    await slack.send(eventEnvelope(mention));
    const answer = await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[0]);
    const followUp = buttons(answer.args.blocks).find((button: any) =>
      button.action_id.startsWith('navigator_follow_up_'),
    );
    const click = blockActions(
      { type: 'button', action_id: followUp.action_id, value: followUp.value, text: followUp.text },
      { messageTs: '1710009999.000300', threadTs: mention.ts, responseUrl: fake.responseUrl('follow-up-1') },
    );
    expect((await slack.send(interactionBody(click), form)).status).toBe(200);
    await slack.close();
    const posts = fake.delivered('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.args.thread_ts).toBe(mention.ts);
    expect(posts[1]!.args.blocks[0]).toMatchObject({
      type: 'context',
      elements: [{ text: `_Follow-up: ${followUp.value}_` }],
    });
  });

  it(
    '"Submit a case" opens a modal, shows validation problems in it, ' +
      'and queues a valid case for the curators',
    async () => {
      const messageShortcut = {
        type: 'message_action',
        callback_id: 'navigator_submit_case_message',
        trigger_id: 'trigger-1',
        token: 'legacy',
        team: { id: team, domain: 'psi' },
        user: { id: 'U0ALICE', name: 'alice' },
        channel: { id: 'C0PUBLIC', name: 'innovation' },
        message_ts: nextTs(),
        message: {
          type: 'message',
          user: 'U0BOB',
          ts: nextTs(),
          text:
            'Our city now sends residents a pre-filled tax return ' +
            '<https://city.example/tax|see the pilot>',
        },
        response_url: fake.responseUrl('shortcut-1'),
      };
      expect((await slack.send(interactionBody(messageShortcut), form)).status).toBe(200);
      const opened = await fake.waitFor('the case modal', () => fake.callsTo('views.open')[0]);
      expect(opened.args.trigger_id).toBe('trigger-1');
      const prefilled = Object.fromEntries(
        (opened.args.view.blocks as any[])
          .filter((block) => block.type === 'input')
          .map((block) => [block.block_id, block.element.initial_value]),
      );
      expect(prefilled).toMatchObject({
        whatWasDone: expect.stringContaining('pre-filled tax return'),
        link: 'https://city.example/tax',
      });

      const command = await slack.send(slashCommandBody('submit', fake.responseUrl('submit-1')), form);
      expect(command.status).toBe(200);
      await fake.waitFor('the modal from /navigator submit', () => fake.callsTo('views.open')[1]);

      const field = (value: string) => ({ value });
      const invalid = viewSubmission('navigator_case_submission', {
        title: field('ab'),
        country: field('Portugal'),
        organisation: field('Lisbon City Council'),
        whatWasDone: field('short'),
        link: field('not a link'),
      });
      const refused = await slack.send(interactionBody(invalid), form);
      expect(refused.status).toBe(200);
      expect(refused.json()).toMatchObject({
        response_action: 'errors',
        errors: { title: expect.any(String), whatWasDone: expect.any(String), link: expect.any(String) },
      });
      expect(await slack.store.caseSubmissions.list()).toEqual([]);

      const valid = viewSubmission('navigator_case_submission', {
        title: field('Pre-filled tax returns in Lisbon'),
        country: field('Portugal'),
        organisation: field('Lisbon City Council'),
        whatWasDone: field('The city pre-fills the municipal tax return so residents only confirm it.'),
        link: field('https://city.example/tax'),
      });
      const accepted = await slack.send(interactionBody(valid), form);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toBe('');
      // Stored before the acknowledgement; a retried submission (same view) would land once.
      expect(await slack.send(interactionBody(valid), form)).toMatchObject({ status: 200 });
      const queued = await slack.store.caseSubmissions.list();
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({
        title: 'Pre-filled tax returns in Lisbon',
        country: 'Portugal',
        status: 'to_review',
        channel: 'slack',
        submittedBy: 'U0ALICE',
      });
      await slack.close();
      expect(fake.delivered('chat.postMessage').at(-1)!.args).toMatchObject({
        channel: 'U0ALICE',
        text: expect.stringContaining('review queue'),
      });
    },
  );
});
