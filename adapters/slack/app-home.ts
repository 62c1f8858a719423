import type { App, types, webApi } from '@slack/bolt';
import type { Answer } from '../../src/index.js';
import type { BackgroundTasks } from '../background-tasks.js';
import type { ChannelContext } from '../channel.js';
import type { ThreadQuestion } from './answer-delivery.js';
import { blockKitLimits } from './block-kit-limits.js';
import { openCaseSubmission } from './case-submission.js';
import { tellToWait } from './limit-notices.js';
import { escapeMrkdwn, markdownToMrkdwn, splitSafely, truncatePlain } from './mrkdwn.js';
import type { NavigatorHelp } from './navigator-help.js';
import type { EnqueueOutcome } from './thread-answer-jobs.js';

// The Home tab (app_home_opened with tab "home" → views.publish): what the Navigator does, example
// questions to ask with one click (answered in the app's direct messages), "Submit a case", and,
// when a source of them is given, the person's recent questions.

export const homeActionIds = {
  submitCase: 'navigator_home_submit_case',
  /** Example-question buttons are `navigator_home_ask_0` … `_4`. */
  askPrefix: 'navigator_home_ask_',
} as const;

export interface AppHomeDependencies {
  help: NavigatorHelp;
  /** Stores the question as a durable job, answered in the thread by any replica. */
  enqueue: (question: ThreadQuestion) => Promise<EnqueueOutcome>;
  tasks: BackgroundTasks;
  log: ChannelContext['log'];
  /** The person's latest questions, newest first; without it the Home tab leaves the section out. */
  recentQuestions?: (user: string) => Promise<string[]>;
}

const section = (text: string): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const askButton = (question: string, index: number): types.Button => ({
  type: 'button',
  action_id: `${homeActionIds.askPrefix}${index}`,
  text: { type: 'plain_text', text: truncatePlain(question, blockKitLimits.buttonText) },
  value: question.slice(0, blockKitLimits.buttonValue),
});

/** The Home tab's view, from the core's own help answer (no second copy of its wording). */
export function renderHomeView(help: Answer, recent: string[] = []): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'PSI Navigator' } },
    ...splitSafely(markdownToMrkdwn(help.text), blockKitLimits.sectionText).map(section),
    { type: 'divider' },
    section('*Ask one of these*: the answer comes in a direct message from me.'),
    { type: 'actions', elements: help.followUps.slice(0, 5).map(askButton) },
    { type: 'divider' },
    section('*Know a case we should have?* Curators review every submission before it is added.'),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          style: 'primary',
          action_id: homeActionIds.submitCase,
          text: { type: 'plain_text', text: 'Submit a case' },
        },
      ],
    },
  ];
  if (recent.length > 0)
    blocks.push(
      { type: 'divider' },
      section('*Your recent questions*'),
      ...recent.slice(0, 5).map((question) => section(`• ${escapeMrkdwn(truncatePlain(question, 300))}`)),
    );
  return { type: 'home', blocks };
}

/** Publishes the Home tab when it is opened, and handles its buttons. */
export function registerAppHome(app: App, dependencies: AppHomeDependencies): void {
  const { help, enqueue, tasks, log } = dependencies;

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    tasks.run('publishing the Home tab', async () => {
      const recent = dependencies.recentQuestions
        ? await dependencies.recentQuestions(event.user).catch((error: unknown) => {
            log('warn', 'slack: could not read recent questions for the Home tab', error);
            return [];
          })
        : [];
      await client.views.publish({ user_id: event.user, view: renderHomeView(await help.answer(), recent) });
    });
  });

  app.action(homeActionIds.submitCase, async ({ ack, body, client }) => {
    await ack();
    if ('trigger_id' in body && body.trigger_id) await openCaseSubmission(client, body.trigger_id);
  });

  app.action(new RegExp(`^${homeActionIds.askPrefix}\\d$`), async ({ ack, body, action, client }) => {
    await ack();
    const question = 'value' in action && typeof action.value === 'string' ? action.value : undefined;
    if (!question) return;
    tasks.run('answering a Home tab question', () =>
      askInDirectMessage(client, enqueue, body.user.id, body.team?.id, question),
    );
  });
}

/** Opens the person's direct message with the app, states the question, and answers it in its thread. */
async function askInDirectMessage(
  client: webApi.WebClient,
  enqueue: AppHomeDependencies['enqueue'],
  user: string,
  teamId: string | undefined,
  question: string,
): Promise<void> {
  const opened = await client.conversations.open({ users: user });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  const posted = await client.chat.postMessage({
    channel,
    text: `You asked from the Home tab: ${question}`,
    blocks: [section(`_You asked from the Home tab:_ *${escapeMrkdwn(question)}*`)],
  });
  if (!posted.ts) throw new Error('chat.postMessage returned no ts');
  const outcome = await enqueue({ channel, threadTs: posted.ts, text: question, user, teamId });
  if (outcome.status === 'limited')
    await tellToWait(client, { channel, threadTs: posted.ts }, outcome.refusal);
}
