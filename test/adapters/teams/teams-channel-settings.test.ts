import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNavigator,
  loadConfig,
  loadVocabulary,
  type Answer,
  type Navigator,
  type Question,
} from '../../../src/index.js';
import { projectRoot } from '../../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../../support/shared-embeddings.js';
import { startFakeBotConnector, type FakeBotConnector } from './support/fake-bot-connector.js';
import { channelThread, message, type Where } from './support/teams-activities.js';
import { startTeamsServer, type TeamsTestServer } from './support/teams-test-server.js';

// The settings card over loopback: Teams-shaped activities → the real CloudAdapter → the bot; the
// member lookup (TeamsInfo.getMember) and replies go to the fake Bot Framework connector.

const userId = '29:1user-teams-id';
const channelKey = 'teams:19:general-channel@thread.tacv2';
let connector: FakeBotConnector;
let server: TeamsTestServer;
let regionOf: (country: string | undefined) => string | undefined;
const asked: { question: Question; answer: Answer }[] = [];

function recording(navigator: Navigator): Navigator {
  return {
    usesLanguageModel: navigator.usesLanguageModel,
    async ask(question) {
      const answer = await navigator.ask(question);
      asked.push({ question, answer });
      return answer;
    },
  };
}

beforeAll(async () => {
  const dataDir = dataDirWithSharedEmbeddings();
  const config = loadConfig({ KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'), NAVIGATOR_DATA_DIR: dataDir });
  const navigator = await createNavigator(config, { answerModel: null });
  const vocabulary = await loadVocabulary(config.knowledgeDir);
  regionOf = (country) => (country ? vocabulary.countries.get(country)?.region : undefined);
  connector = await startFakeBotConnector();
  server = await startTeamsServer(config, recording(navigator));
});
afterAll(async () => {
  await server?.close();
  await connector?.close();
});

const thread = (root: string): Where => channelThread(connector.serviceUrl, root);
const saveInvoke = (where: Where, data: Record<string, string>) => ({
  ...message(where, ''),
  type: 'invoke',
  name: 'adaptiveCard/action',
  value: {
    action: {
      type: 'Action.Execute',
      verb: 'navigator.settings',
      data: { action: 'navigator.settings', ...data },
    },
    trigger: 'manual',
  },
});
const repliesAfter = (count: number) =>
  connector
    .delivered()
    .slice(count)
    .filter((call) => call.activity.type === 'message');

describe('Teams channel settings', () => {
  it('refuses a member who is not a team owner, for the card and for a Save', async () => {
    connector.setMember(userId, { id: userId, name: 'Ana', userRole: 'user' });
    const before = connector.delivered().length;
    const response = await server.post(message(thread('1700000000101'), 'settings', { mention: true }));
    expect(response.status).toBe(200);
    const [reply] = repliesAfter(before);
    expect(reply!.activity.text).toContain('Only owners of this team');
    expect(reply!.activity.attachments ?? []).toEqual([]);

    const save = await server.post(saveInvoke(thread('1700000000101'), { regions: 'europe', off: 'false' }));
    expect((await save.json()).value).toContain('Only owners of this team');
    expect(await server.store.channelSettings.get(channelKey)).toBeUndefined();
  });

  it(
    "shows a team owner the card; its Save favours the chosen region in the channel's answers, " +
      'and Off makes the bot ignore the channel except for "settings"',
    async () => {
      connector.setMember(userId, { id: userId, name: 'Ana', userRole: 'owner' });
      let before = connector.delivered().length;
      await server.post(message(thread('1700000000201'), 'settings', { mention: true }));
      const [cardReply] = repliesAfter(before);
      const card = cardReply!.activity.attachments[0].content;
      const regions = card.body.find((element: any) => element.id === 'regions');
      expect(regions.choices.map((choice: any) => choice.value)).toEqual(
        expect.arrayContaining(['europe', 'asia-pacific']),
      );
      const save = card.actions.find((action: any) => action.type === 'Action.Execute');
      expect(save.verb).toBe('navigator.settings');

      const question = 'Who has used participatory budgeting?';
      // Answers are worked from the job queue after the 200: wait for each to be asked.
      const answered = async (count: number) => connector.waitFor(() => asked.length >= count, 40_000);
      let asks = asked.length;
      await server.post(message(thread('1700000000202'), question, { mention: true }));
      await answered(++asks);
      const response = await server.post(
        saveInvoke(thread('1700000000201'), { regions: 'europe', levels: '', language: 'en', off: 'false' }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: expect.stringContaining('favoured region: Europe'),
      });
      expect(await server.store.channelSettings.get(channelKey)).toMatchObject({ regions: ['europe'] });
      await server.post(message(thread('1700000000203'), question, { mention: true }));
      await answered(asks + 1);
      const unset = asked.find((entry) => entry.question.text === question && !entry.question.defaults);
      const set = asked.find((entry) => entry.question.text === question && entry.question.defaults);
      expect(unset!.question.defaults).toBeUndefined();
      expect(set!.question.defaults).toMatchObject({ regions: ['europe'] });
      expect(regionOf(unset!.answer.peerCases[0]?.country)).not.toBe('europe');
      expect(regionOf(set!.answer.peerCases[0]?.country)).toBe('europe');

      await server.post(saveInvoke(thread('1700000000201'), { regions: 'europe', off: 'true' }));
      const askedBefore = asked.length;
      before = connector.delivered().length;
      const ignored = await server.post(message(thread('1700000000204'), question, { mention: true }));
      expect(ignored.status).toBe(200);
      // The turn is over when the POST returns: nothing was asked or sent, not even typing.
      expect(asked.length).toBe(askedBefore);
      expect(connector.delivered().length).toBe(before);
      await server.post(message(thread('1700000000204'), 'settings', { mention: true }));
      const [again] = repliesAfter(before);
      const off = again!.activity.attachments[0].content.body.find((element: any) => element.id === 'off');
      expect(off.value).toBe('true');
    },
  );
});
