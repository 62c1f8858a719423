import { hashEntryFiles, type DigestPeriod, type NavigatorStore } from '../src/index.js';

// "subscribe weekly|monthly" and "unsubscribe", the same words in Slack's /navigator and in a
// message to the Teams bot. The reply is plain text: each channel adds its own markup.

export type DigestCommand = { action: 'subscribe'; period: DigestPeriod } | { action: 'unsubscribe' };

/** The digest command `text` asks for, or undefined when it is something else (a question). */
export function readDigestCommand(text: string): DigestCommand | undefined {
  const words = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const subscribe = /^subscribe(?: (weekly|monthly))?$/.exec(words);
  if (subscribe)
    return { action: 'subscribe', period: (subscribe[1] as DigestPeriod | undefined) ?? 'weekly' };
  if (/^unsubscribe$/.test(words)) return { action: 'unsubscribe' };
  return undefined;
}

const dateOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Subscribes or unsubscribes `channelKey` and says what happened. The knowledge base as it is now
 * is kept with the subscription, so the first digest can tell what is new since.
 */
export async function runDigestCommand(
  store: Pick<NavigatorStore, 'digestSubscriptions'>,
  knowledgeDir: string,
  request: {
    channelKey: string;
    command: DigestCommand;
    user?: string;
    /** How to stop it in this channel, e.g. "/navigator unsubscribe". */
    unsubscribeHint: string;
  },
): Promise<string> {
  const { channelKey, command, user } = request;
  const subscriptions = store.digestSubscriptions;
  if (command.action === 'unsubscribe')
    return (await subscriptions.unsubscribe(channelKey))
      ? 'Unsubscribed: this conversation gets no more knowledge digests.'
      : 'This conversation has no digest subscription.';
  await subscriptions.subscribe(channelKey, command.period, user, await hashEntryFiles(knowledgeDir));
  const subscription = await subscriptions.get(channelKey);
  const next = subscription ? ` The first one comes on ${dateOf(subscription.nextDueAt)}.` : '';
  return (
    `Subscribed: this conversation gets a ${command.period} digest of knowledge-base entries added ` +
    `or changed, with their links.${next} ${request.unsubscribeHint} stops it.`
  );
}
