import type { EngagedThreads } from '../../src/index.js';
import { mentionsUser } from './slack-text.js';

// Channel threads the Navigator answered in, kept in the shared store so every replica knows them.
// A mention in a thread it has not answered yet brings the thread along (read when answering); with
// NAVIGATOR_SLACK_THREAD_FOLLOW_UPS=true, a later message in an answered thread is a follow-up even
// without a mention (needs the message.channels / message.groups events).

/** Thread follow-ups are remembered for a week after the Navigator's last answer in the thread. */
const engagedForMs = 7 * 24 * 60 * 60 * 1000;

/** The fields of a Slack message event this part reads. */
export interface SlackThreadMessage {
  channel: string;
  ts: string;
  text?: string;
  thread_ts?: string;
  channel_type?: string;
}

/** Where people talk in threads the Navigator may follow: public and private channels. */
const followUpChannelTypes = new Set(['channel', 'group']);

const isThreadReply = (message: SlackThreadMessage) =>
  message.thread_ts !== undefined && message.thread_ts !== message.ts;

/** Any user or group mention: a message addressed to someone is left to them. */
const mentionsSomeone = (text: string | undefined) =>
  /<@[UW][A-Z0-9]+(?:\|[^>]*)?>|<!subteam\^/.test(text ?? '');

export class SlackThreadFollowUps {
  constructor(
    private readonly threads: EngagedThreads,
    private readonly followUpsEnabled: boolean,
  ) {}

  /**
   * Before a channel question is stored: a mention replying in a thread the Navigator has not
   * answered yet is answered with the thread (its ts tells the job what to read).
   */
  async contextFor(message: SlackThreadMessage): Promise<{ mentionTs?: string }> {
    if (!isThreadReply(message) || (await this.threads.isEngaged(threadKey(message)))) return {};
    return { mentionTs: message.ts };
  }

  /** After a channel question is stored: its thread is one the Navigator answers in. */
  async engage(message: SlackThreadMessage): Promise<void> {
    await this.threads.engage(threadKey(message), { ttlMs: engagedForMs });
  }

  /** A message without a mention that continues a channel thread the Navigator answered in. */
  async isFollowUp(message: SlackThreadMessage, botUserId: string | undefined): Promise<boolean> {
    if (!this.followUpsEnabled || !isThreadReply(message)) return false;
    if (!followUpChannelTypes.has(message.channel_type ?? '')) return false;
    // A mention is answered as one (app_mention); a message to a colleague is theirs.
    if (mentionsUser(message.text, botUserId) || mentionsSomeone(message.text)) return false;
    return this.threads.isEngaged(threadKey(message));
  }
}

/** The store's key of a message's thread (the same form as the Navigator's conversation id). */
function threadKey(message: SlackThreadMessage): string {
  return `slack:${message.channel}:${message.thread_ts ?? message.ts}`;
}
