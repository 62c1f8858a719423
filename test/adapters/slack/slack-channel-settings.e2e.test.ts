import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadVocabulary, projectRoot, type Navigator, type Question } from '../../../src/index.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import {
  appMention,
  blockActions,
  eventEnvelope,
  interactionBody,
  slashCommandBody,
  viewSubmission,
} from './support/slack-requests.js';
import {
  preparedDataDir,
  realNavigator,
  startSlackTestServer,
  wrapNavigator,
  type SlackTestServer,
} from './support/slack-test-server.js';

// `/navigator settings` over the real Bolt receiver, the Web API faked on loopback: who may use
// it, the modal, and what the saved settings change in the channel's answers.

let dataDir: string;
let navigator: Navigator;
let regionOf: (country: string | undefined) => string | undefined;
let fake: FakeSlackApi;
let slack: SlackTestServer;
/** Every question that reached the core, with the answer it got. */
const asked: { question: Question; peers: (string | undefined)[]; status: string }[] = [];

const form = 'application/x-www-form-urlencoded';
const settingsChannel = 'C0PUBLIC';
const otherChannel = 'C0OTHER';

beforeAll(async () => {
  dataDir = preparedDataDir();
  const inner = await realNavigator(dataDir);
  navigator = wrapNavigator(inner, (answer, question) => {
    asked.push({ question, peers: answer.peerCases.map((peer) => peer.country), status: answer.status });
    return answer;
  });
  const vocabulary = await loadVocabulary(join(projectRoot(), 'knowledge'));
  regionOf = (country) => (country ? vocabulary.countries.get(country)?.region : undefined);
});
beforeEach(async () => {
  asked.length = 0;
  fake = await startFakeSlackApi();
  slack = await startSlackTestServer(navigator, fake, dataDir);
  // Each test starts with the channels unconfigured.
  await slack.store.sql.execute('DELETE FROM channel_settings');
});
afterEach(async () => {
  await slack.close();
  await fake.close();
});

/** Alice is a workspace admin, or a plain member who did not create the channel. */
function aliceIs(role: 'admin' | 'member') {
  fake.answerWith('users.info', (args) => ({
    user: { id: args.user, is_admin: role === 'admin', is_owner: false, is_primary_owner: false },
  }));
  fake.answerWith('conversations.info', (args) => ({ channel: { id: args.channel, creator: 'U0BOB' } }));
}

/** The view_submission of the settings modal for `channel`, with these choices. */
function settingsSubmission(
  channel: string,
  choices: { regions?: string[]; language?: string; switches?: ('privateAnswers' | 'off')[] },
) {
  const payload = viewSubmission('navigator_channel_settings', {}, channel);
  const selected = (values: string[] = []) => ({
    type: 'multi_static_select',
    selected_options: values.map((value) => ({ value })),
  });
  payload.view.state.values = {
    regions: { value: selected(choices.regions) },
    levels: { value: selected([]) },
    language: {
      value: {
        type: 'static_select',
        selected_option: choices.language ? { value: choices.language } : null,
      },
    },
    switches: {
      value: { type: 'checkboxes', selected_options: (choices.switches ?? []).map((value) => ({ value })) },
    },
  } as never;
  return interactionBody(payload);
}

/** Saves settings as a manager would: the command opens the modal, the modal is submitted. */
async function saveThroughModal(channel: string, choices: Parameters<typeof settingsSubmission>[1]) {
  const command = await slack.send(slashCommandBody('settings', fake.responseUrl('settings'), channel), form);
  expect(command.status).toBe(200);
  await fake.waitFor('the settings modal', () => fake.delivered('views.open')[0]);
  const submitted = await slack.send(settingsSubmission(channel, choices), form);
  expect(submitted.status).toBe(200);
  expect(submitted.body).toBe('');
}

const mention = (text: string, channel: string) => slack.send(eventEnvelope(appMention(text, channel)));
const answerIn = (channel: string, index = 0) =>
  fake.waitFor(
    `answer ${index + 1} in ${channel}`,
    () => fake.delivered('chat.postMessage').filter((call) => call.args.channel === channel)[index],
  );

describe('/navigator settings in Slack', () => {
  it('refuses a member who is neither admin nor the channel creator, politely; nothing stored', async () => {
    aliceIs('member');
    const command = await slack.send(slashCommandBody('settings', fake.responseUrl('refused')), form);
    expect(command.status).toBe(200);
    expect(command.json()).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Only the channel’s creator or a workspace admin or owner'),
    });
    expect(fake.callsTo('views.open')).toEqual([]);
    // A forged submission of the modal is checked again.
    const forged = await slack.send(settingsSubmission(settingsChannel, { regions: ['europe'] }), form);
    expect(forged.json()).toMatchObject({ response_action: 'errors' });
    expect(await slack.store.channelSettings.get(`slack:${settingsChannel}`)).toBeUndefined();
  });

  it('lets the channel creator open the modal, with selects built from the vocabulary', async () => {
    fake.answerWith('users.info', (args) => ({ user: { id: args.user, is_admin: false } }));
    fake.answerWith('conversations.info', (args) => ({ channel: { id: args.channel, creator: 'U0ALICE' } }));
    await slack.send(slashCommandBody('settings', fake.responseUrl('creator')), form);
    const opened = await fake.waitFor('the settings modal', () => fake.delivered('views.open')[0]);
    const view = opened.args.view;
    expect(view.callback_id).toBe('navigator_channel_settings');
    expect(view.private_metadata).toBe(settingsChannel);
    // Slack's limits for select options: at most 100, each text at most 75 characters.
    for (const block of view.blocks.filter((block: any) => block.type === 'input')) {
      expect(block.element.action_id).toBe('value');
      expect(block.element.options.length).toBeLessThanOrEqual(100);
      for (const option of block.element.options) expect(option.text.text.length).toBeLessThanOrEqual(75);
    }
    const regions = view.blocks.find((block: any) => block.block_id === 'regions');
    expect(regions.element.options.map((option: any) => option.value)).toEqual(
      expect.arrayContaining(['europe', 'latin-america-caribbean', 'asia-pacific']),
    );
  });

  it(
    'an admin sets region=Europe: questions there favour European cases, a question answered only ' +
      'from elsewhere still gets its answer, a region asked for wins, and the setting survives a restart',
    async () => {
      aliceIs('admin');
      await saveThroughModal(settingsChannel, { regions: ['europe'] });
      expect(await slack.store.channelSettings.get(`slack:${settingsChannel}`)).toMatchObject({
        regions: ['europe'],
        privateAnswers: false,
        off: false,
      });
      const confirmation = await fake.waitFor(
        'the confirmation',
        () => fake.delivered('chat.postEphemeral')[0],
      );
      expect(confirmation.args).toMatchObject({ channel: settingsChannel, user: 'U0ALICE' });
      expect(confirmation.args.text).toContain('favoured region: Europe');

      const question = 'Who has used participatory budgeting?';
      await mention(question, otherChannel);
      await answerIn(otherChannel);
      await mention(question, settingsChannel);
      await answerIn(settingsChannel);
      const [elsewhere, here] = asked;
      expect(elsewhere!.question.defaults).toBeUndefined();
      expect(here!.question.defaults).toMatchObject({ regions: ['europe'] });
      // Without the channel's default the best case is not European; with it, a European one leads.
      expect(regionOf(elsewhere!.peers[0])).not.toBe('europe');
      expect(regionOf(here!.peers[0])).toBe('europe');
      // A favour, not a restriction: cases from elsewhere stay in the answer.
      expect(here!.peers.some((country) => regionOf(country) !== 'europe')).toBe(true);

      await mention('Who has used mobile money for cash transfers?', settingsChannel);
      const onlyElsewhere = await answerIn(settingsChannel, 1);
      expect(asked[2]!.status).toBe('answered');
      expect(asked[2]!.peers.length).toBeGreaterThan(0);
      expect(asked[2]!.peers.every((country) => regionOf(country) !== 'europe')).toBe(true);
      expect(onlyElsewhere.args.text).not.toMatch(/no case/i);

      // A region the message asks for wins over the channel's.
      await mention('Any examples of participatory budgeting in Latin America?', settingsChannel);
      await answerIn(settingsChannel, 2);
      expect(asked[3]!.peers.length).toBeGreaterThan(0);
      expect(asked[3]!.peers.every((country) => regionOf(country) === 'latin-america-caribbean')).toBe(true);

      // A restart: a new server on the same store reads the same settings.
      await slack.close();
      slack = await startSlackTestServer(navigator, fake, dataDir);
      await mention(question, settingsChannel);
      await answerIn(settingsChannel, 3);
      expect(asked[4]!.question.defaults).toMatchObject({ regions: ['europe'] });
      expect(regionOf(asked[4]!.peers[0])).toBe('europe');
    },
  );

  it(
    'answers privately by default: a mention gets an ephemeral answer with "Share in channel", ' +
      'and the share posts it for everyone',
    async () => {
      aliceIs('admin');
      await saveThroughModal(settingsChannel, { switches: ['privateAnswers'] });
      await fake.waitFor('the confirmation', () => fake.delivered('chat.postEphemeral')[0]);
      await mention('Who has made benefits proactive?', settingsChannel);
      const answer = await fake.waitFor('the private answer', () => fake.delivered('chat.postEphemeral')[1]);
      expect(answer.args).toMatchObject({ channel: settingsChannel, user: 'U0ALICE' });
      expect(blockKitProblems(answer.args)).toEqual([]);
      const share = (answer.args.blocks as any[])
        .filter((block) => block.type === 'actions')
        .flatMap((block) => block.elements)
        .find((element) => element.action_id === 'navigator_share');
      expect(share?.value).toBeTruthy();
      expect(
        fake.delivered('chat.postMessage').filter((call) => call.args.channel === settingsChannel),
      ).toEqual([]);

      const click = await slack.send(
        interactionBody(
          blockActions(
            { type: 'button', action_id: 'navigator_share', value: share.value },
            { ephemeral: true, responseUrl: fake.responseUrl('share-private') },
          ),
        ),
        form,
      );
      expect(click.status).toBe(200);
      const shared = await fake.waitFor('the shared answer', () =>
        fake.responseUrlPosts.find((post) => post.id === 'share-private' && post.body.response_type),
      );
      expect(shared.body.response_type).toBe('in_channel');
    },
  );

  it('a channel language answers a message whose own language is unclear (the offline note)', async () => {
    aliceIs('admin');
    await saveThroughModal(settingsChannel, { language: 'fr' });
    await mention('budgeting', settingsChannel);
    const unclear = await answerIn(settingsChannel);
    expect(asked[0]!.question.defaults).toMatchObject({ language: 'fr' });
    expect(unclear.args.text).toContain('Sans modèle de langue, je réponds en anglais');
    // A message clearly in English keeps English, with no note.
    await mention('Who has used participatory budgeting?', settingsChannel);
    const english = await answerIn(settingsChannel, 1);
    expect(english.args.text).not.toContain('Sans modèle de langue');
  });

  it('off: mentions and questions in the channel are ignored; /navigator settings still works', async () => {
    aliceIs('admin');
    await saveThroughModal(settingsChannel, { switches: ['off'] });
    expect(await slack.store.channelSettings.get(`slack:${settingsChannel}`)).toMatchObject({ off: true });

    const ignored = await mention('Who has made benefits proactive?', settingsChannel);
    expect(ignored.status).toBe(200);
    const command = await slack.send(
      slashCommandBody('Who has made benefits proactive?', fake.responseUrl('off-question')),
      form,
    );
    expect(command.json().text).toContain('off in this channel');
    // Another channel is answered; by then the ignored mention would have been answered too.
    await mention('Who has made benefits proactive?', otherChannel);
    await answerIn(otherChannel);
    await slack.close();
    expect(asked.map((entry) => entry.question.text)).toEqual(['Who has made benefits proactive?']);
    const posted = [...fake.delivered('chat.postMessage'), ...fake.delivered('chat.postEphemeral')];
    expect(posted.filter((call) => call.args.channel === settingsChannel && call.args.thread_ts)).toEqual([]);
    expect(fake.responseUrlPosts.filter((post) => post.id === 'off-question')).toEqual([]);

    slack = await startSlackTestServer(navigator, fake, dataDir);
    await slack.send(slashCommandBody('settings', fake.responseUrl('settings-again')), form);
    const modal = await fake.waitFor('the modal, in an off channel', () => fake.delivered('views.open')[1]);
    const switches = modal.args.view.blocks.find((block: any) => block.block_id === 'switches');
    expect(switches.element.initial_options.map((option: any) => option.value)).toEqual(['off']);
  });
});
