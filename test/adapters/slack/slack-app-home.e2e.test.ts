import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { homeActionIds } from '../../../adapters/slack/app-home.js';
import { callbackIds } from '../../../adapters/slack/interaction-ids.js';
import type { Navigator } from '../../../src/index.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import { blockActions, eventEnvelope, interactionBody, nextTs, team } from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  type SlackTestServer,
} from './support/slack-test-server.js';

let dataDir: string;
let navigator: Navigator;
let fake: FakeSlackApi;
let slack: SlackTestServer | undefined;

beforeAll(async () => {
  dataDir = preparedDataDir();
  navigator = await realNavigator(dataDir);
});
beforeEach(async () => {
  fake = await startFakeSlackApi();
  slack = await startSlackTestServer(navigator, fake, dataDir);
});
afterEach(async () => {
  await slack?.close();
  await fake.close();
});

const homeOpened = (tab: 'home' | 'messages') => ({
  type: 'app_home_opened',
  user: 'U0ALICE',
  channel: 'D0ALICE',
  tab,
  ts: nextTs(),
  team,
});
const homeClick = (action: Record<string, unknown>) => {
  const payload: Record<string, unknown> = blockActions(action);
  delete payload.message;
  delete payload.channel;
  return { ...payload, container: { type: 'view', view_id: 'V0HOME' }, view: { id: 'V0HOME', type: 'home' } };
};

describe('the Slack Home tab', () => {
  it('publishes what the Navigator does, example questions and "Submit a case" when opened', async () => {
    await slack!.send(eventEnvelope(homeOpened('home')));
    const publish = await fake.waitFor('views.publish', () => fake.delivered('views.publish')[0]);
    expect(publish.args.user_id).toBe('U0ALICE');
    const view = publish.args.view;
    expect(view.type).toBe('home');
    expect(blockKitProblems({ text: 'home', blocks: view.blocks })).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('curated knowledge base');
    const buttons = view.blocks
      .filter((block: any) => block.type === 'actions')
      .flatMap((block: any) => block.elements);
    expect(buttons.map((button: any) => button.value)).toContain('Who has made benefits proactive?');
    expect(buttons.some((button: any) => button.action_id === homeActionIds.submitCase)).toBe(true);
    // Nothing asked yet: the section is left out rather than shown empty.
    expect(text).not.toContain('Your recent questions');
  });

  it("lists the person's own recent questions from the question log, not other people's", async () => {
    const logged = (user: string, topic: string) =>
      slack!.store.questionLog.record({
        channel: 'slack',
        intent: 'peer_cases',
        status: 'answered',
        topic,
        citedIds: [],
        latencyMs: 10,
        user,
      });
    await logged('U0ALICE', 'Who has made benefits proactive?');
    await logged('U0BOB', 'A question Bob asked');
    await slack!.send(eventEnvelope(homeOpened('home')));
    const publish = await fake.waitFor('views.publish', () => fake.delivered('views.publish')[0]);
    const text = JSON.stringify(publish.args.view.blocks);
    expect(text).toContain('Your recent questions');
    expect(text).toContain('• Who has made benefits proactive?');
    expect(text).not.toContain('Bob asked');
    expect(blockKitProblems({ text: 'home', blocks: publish.args.view.blocks })).toEqual([]);
  });

  it('leaves the Messages tab alone (it gets suggested prompts, not a view)', async () => {
    await slack!.send(eventEnvelope(homeOpened('messages')));
    await fake.waitFor('suggested prompts', () => fake.delivered('assistant.threads.setSuggestedPrompts')[0]);
    await slack!.close();
    expect(fake.callsTo('views.publish')).toHaveLength(0);
  });

  it('opens the existing case submission modal from "Submit a case"', async () => {
    await slack!.send(
      interactionBody(homeClick({ type: 'button', action_id: homeActionIds.submitCase })),
      'application/x-www-form-urlencoded',
    );
    const opened = await fake.waitFor('views.open', () => fake.delivered('views.open')[0]);
    expect(opened.args.view.callback_id).toBe(callbackIds.caseSubmissionModal);
  });

  it('answers an example question once, in a thread of the direct message with the app', async () => {
    const question = 'Who has made benefits proactive?';
    await slack!.send(
      interactionBody(
        homeClick({ type: 'button', action_id: `${homeActionIds.askPrefix}0`, value: question }),
      ),
      'application/x-www-form-urlencoded',
    );
    await fake.waitFor('the answer', () => fake.delivered('chat.postMessage')[1]);
    await slack!.close();
    const [asked, answer] = fake.delivered('chat.postMessage');
    expect(fake.delivered('conversations.open')[0]!.args.users).toBe('U0ALICE');
    expect(asked!.args).toMatchObject({
      channel: 'D0ALICE',
      text: `You asked from the Home tab: ${question}`,
    });
    expect(answer!.args.channel).toBe('D0ALICE');
    expect(answer!.args.thread_ts).toMatch(/^\d+\.\d+$/);
    expect(JSON.stringify(answer!.args.blocks)).toMatch(/Estonia/);
    expect(fake.delivered('chat.postMessage')).toHaveLength(2);
  });
});
