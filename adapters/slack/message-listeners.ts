import { Assistant, type App, type AssistantConfig } from '@slack/bolt';
import { z } from 'zod';
import type { BackgroundTasks } from '../background-tasks.js';
import type { ChannelContext } from '../channel.js';
import type { NavigatorHelp } from './navigator-help.js';
import type { SlackIdentityStore } from './slack-identity.js';
import { mentionsUser, questionFromSlackText } from './slack-text.js';
import { enqueueThreadAnswer, slackDeliveryKeys } from './thread-answer-jobs.js';
import type { SlackThreadFollowUps } from './thread-follow-ups.js';

export interface MessageListenerDependencies {
  context: ChannelContext;
  tasks: BackgroundTasks;
  identity: SlackIdentityStore;
  help: NavigatorHelp;
  threads: SlackThreadFollowUps;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, detail?: unknown) => void;
}

// Only what the adapter reads; anything else in Slack's payload is ignored.
const userMessageSchema = z.object({
  channel: z.string(),
  ts: z.string(),
  text: z.string().optional(),
  user: z.string().optional(),
  thread_ts: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  channel_type: z.string().optional(),
});
type UserMessage = z.infer<typeof userMessageSchema>;
const envelopeSchema = z.object({ event_id: z.string().optional(), team_id: z.string().optional() });

// A person writing: a plain message, one with a file, or a thread reply also sent to the channel.
// Edits (message_changed), deletions, joins, bot_message and the rest are not questions.
const hourMs = 60 * 60 * 1000;

const answerableSubtypes = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * A no-op store: the Navigator does not use the channel a user is viewing. Bolt's default store reads
 * the thread (conversations.replies) on every say and keeps one context for all threads.
 */
const noThreadContext: NonNullable<AssistantConfig['threadContextStore']> = {
  get: async () => ({}),
  save: async () => {},
};

/**
 * Mentions in channels, direct messages, assistant threads and the agent Messages tab. Slack may
 * deliver one message several times: retries (same event_id) and, for a mention, both an
 * `app_mention` and a `message` event (same channel and ts). Each is answered once, across
 * replicas: the question is stored as a job, with its delivery keys, before Slack gets its 200.
 */
export function registerMessageListeners(app: App, dependencies: MessageListenerDependencies): void {
  const { context, tasks, identity, help, threads, log } = dependencies;
  // Once per thread and channel across replicas; the same insert-if-absent keys as deliveries.
  const firstTime = (key: string, ttlMs: number) => context.store.deliveryKeys.claim([key], { ttlMs });

  const isFromBot = (message: UserMessage) =>
    Boolean(message.bot_id) || (message.user !== undefined && message.user === identity.current.botUserId);

  // Awaited by the listener: Bolt (processBeforeResponse) sends the 200 only once the job is stored.
  const answer = async (
    body: unknown,
    message: UserMessage,
    options: { title?: boolean; inChannel?: boolean } = {},
  ) => {
    const envelope = envelopeSchema.safeParse(body).data;
    const threadTs = message.thread_ts ?? message.ts;
    const text = questionFromSlackText(message.text, identity.current.botUserId);
    const titled =
      options.title && (await firstTime(`slack:title:${message.channel}:${threadTs}`, 6 * hourMs));
    const title = titled ? text : undefined;
    const question = { channel: message.channel, threadTs, text, user: message.user, title };
    const thread = options.inChannel ? await threads.contextFor(message) : {};
    const stored = await enqueueThreadAnswer(
      context,
      { ...question, teamId: envelope?.team_id, ...thread },
      slackDeliveryKeys(envelope?.event_id, message.channel, message.ts),
    );
    if (options.inChannel) await threads.engage(message);
    if (!stored) log('debug', `slack: ignored a repeated delivery of ${message.channel}/${message.ts}`);
  };

  app.event('app_mention', async ({ event, body }) => {
    const message = userMessageSchema.safeParse(event);
    if (!message.success || isFromBot(message.data)) return;
    await answer(body, message.data, { inChannel: true });
  });

  app.message(async ({ message: raw, body }) => {
    const parsed = userMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (!answerableSubtypes.has(message.subtype) || isFromBot(message)) return;
    if (message.channel_type === 'im') await answer(body, message);
    // In channels a mention is a question (it usually arrives as app_mention as well), and so is a
    // follow-up in a thread the Navigator answered, when NAVIGATOR_SLACK_THREAD_FOLLOW_UPS is on.
    else if (mentionsUser(message.text, identity.current.botUserId))
      await answer(body, message, { inChannel: true });
    else if (await threads.isFollowUp(message, identity.current.botUserId))
      await answer(body, message, { inChannel: true });
  });

  // The assistant layout (assistant_view): Bolt's Assistant routes DM thread messages here.
  app.assistant(
    new Assistant({
      threadContextStore: noThreadContext,
      threadStarted: async ({ setSuggestedPrompts }) => {
        tasks.run('setting suggested prompts', async () => {
          await setSuggestedPrompts({ title: 'Try one of these:', prompts: await help.suggestedPrompts() });
        });
      },
      userMessage: async ({ message: raw, body }) => {
        const parsed = userMessageSchema.safeParse(raw);
        if (!parsed.success || !answerableSubtypes.has(parsed.data.subtype) || isFromBot(parsed.data)) return;
        await answer(body, parsed.data, { title: true });
      },
    }),
  );

  // The agent layout (agent_view, Slack's default): prompts pinned to the Messages tab, no thread.
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'messages' || !(await firstTime(`slack:prompts:${event.channel}`, hourMs))) return;
    tasks.run('setting suggested prompts', async () => {
      await client.assistant.threads.setSuggestedPrompts({
        channel_id: event.channel,
        title: 'Try one of these:',
        prompts: await help.suggestedPrompts(),
      });
    });
  });
}
