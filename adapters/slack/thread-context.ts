import { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { ChannelContext } from '../channel.js';
import { truncatePlain } from './mrkdwn.js';
import { slackRetryConfig } from './slack-client-options.js';
import type { SlackIdentity, SlackIdentityStore } from './slack-identity.js';
import { questionFromSlackText } from './slack-text.js';

// A mention in a thread reply ("@PSI Navigator can you help?") usually refers to the thread's
// opening message. The question the Navigator reads is that message, the last few replies and then
// the mention, read with conversations.replies (channels:history / groups:history). Without those
// scopes the mention is answered alone, as before, and the log says why once per process.

/** How much of a thread goes with a mention; the Navigator refuses questions over 4,000 characters. */
export const threadContextLimits = {
  replies: 5,
  openingCharacters: 1_000,
  replyCharacters: 400,
  totalCharacters: 2_000,
  /** The context shrinks so that it and the mention stay under this. */
  questionCharacters: 3_500,
} as const;

const threadMessageSchema = z.object({
  ts: z.string(),
  text: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
});
type ThreadMessage = z.infer<typeof threadMessageSchema>;

// What people (and other apps) wrote; joins, topic changes and the like say nothing about the question.
const contextSubtypes = new Set([undefined, 'file_share', 'thread_broadcast', 'bot_message']);

export interface ThreadPlace {
  channel: string;
  threadTs: string;
  /** The mention's own ts: only what came before it is read. */
  mentionTs: string;
}

/**
 * The thread's opening message and its last replies before the mention, as plain text, oldest
 * first; the Navigator's own messages are left out (its memory of the thread has them).
 */
export function threadContextLines(
  messages: readonly ThreadMessage[],
  place: ThreadPlace,
  bot: SlackIdentity,
): string[] {
  const before = messages.filter(
    (message) =>
      Number(message.ts) < Number(place.mentionTs) &&
      contextSubtypes.has(message.subtype) &&
      !(bot.botUserId && message.user === bot.botUserId) &&
      !(bot.botId && message.bot_id === bot.botId),
  );
  const plain = (message: ThreadMessage, limit: number) =>
    truncatePlain(questionFromSlackText(message.text, bot.botUserId), limit);
  const opening = before.find((message) => message.ts === place.threadTs);
  const replies = before
    .filter((message) => message.ts !== place.threadTs)
    .slice(-threadContextLimits.replies)
    .map((message) => plain(message, threadContextLimits.replyCharacters));
  return [...(opening ? [plain(opening, threadContextLimits.openingCharacters)] : []), ...replies].filter(
    (line) => line.length > 0,
  );
}

/**
 * What the Navigator is asked: the thread's lines, then the mention. The earliest replies go first
 * when the whole would be too long; the opening message is shortened last.
 */
export function questionWithThreadContext(lines: readonly string[], asked: string): string {
  const budget = Math.min(
    threadContextLimits.totalCharacters,
    threadContextLimits.questionCharacters - asked.length,
  );
  if (budget < 40) return asked;
  const kept = [...lines];
  const length = () => kept.reduce((sum, line) => sum + line.length + 1, 0);
  while (kept.length > 1 && length() > budget) kept.splice(1, 1);
  if (length() > budget) kept[0] = truncatePlain(kept[0]!, budget);
  return [kept.join('\n'), asked].filter(Boolean).join('\n\n');
}

/** Reads a thread for the question a mention in it asks; degrades to the mention alone. */
export class ThreadContextReader {
  private missingScopeNoted = false;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly identity: () => SlackIdentity,
    private readonly log: ChannelContext['log'],
  ) {}

  /** The question with the thread's opening message and last replies before the mention. */
  async question(place: ThreadPlace, asked: string): Promise<string> {
    const messages = await this.read(place);
    const lines = threadContextLines(messages, place, this.identity());
    return lines.length > 0 ? questionWithThreadContext(lines, asked) : asked;
  }

  private async read(place: ThreadPlace): Promise<ThreadMessage[]> {
    try {
      // One page, oldest first: the opening message and, in all but very long threads, every reply.
      const response = await this.client.conversations.replies({
        channel: place.channel,
        ts: place.threadTs,
        latest: place.mentionTs,
        inclusive: false,
        limit: 200,
      });
      return (response.messages ?? []).flatMap((message) => {
        const parsed = threadMessageSchema.safeParse(message);
        return parsed.success ? [parsed.data] : [];
      });
    } catch (error) {
      this.noteUnreadable(error);
      return [];
    }
  }

  private noteUnreadable(error: unknown): void {
    const data = (error as { code?: string; data?: { error?: string; needed?: string } }).data;
    const platform = (error as { code?: string }).code === webApi.ErrorCode.PlatformError;
    if (!(platform && data?.error === 'missing_scope')) {
      this.log('debug', 'slack: could not read the thread; answering the mention alone', error);
      return;
    }
    if (this.missingScopeNoted) return;
    this.missingScopeNoted = true;
    this.log(
      'warn',
      `slack: the app may not read threads (missing_scope${data.needed ? `: needs ${data.needed}` : ''}); ` +
        'a mention in a thread is answered without the thread. Add the channels:history and ' +
        'groups:history scopes (adapters/slack/manifest.json) and reinstall the app.',
    );
  }
}

/**
 * The reader with a client of its own that gives up quickly (a 429 included): the thread is worth
 * a moment, not a delayed answer.
 */
export function threadContextReader(
  context: ChannelContext,
  clientOptions: webApi.WebClientOptions,
  identity: SlackIdentityStore,
): ThreadContextReader {
  const client = new webApi.WebClient(context.config.slack?.botToken, {
    ...clientOptions,
    rejectRateLimitedCalls: true,
    timeout: 5_000,
    retryConfig: { ...slackRetryConfig, retries: 1, maxTimeout: 2_000 },
  });
  return new ThreadContextReader(client, () => identity.current, context.log);
}
