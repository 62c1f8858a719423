import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { ChannelDefaults, JsonValue } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import type { SendKeys } from '../durable-jobs.js';
import { renderAnswer, type SlackMessage } from './render-answer.js';

// A response_url takes five messages in 30 minutes; an ephemeral answer keeps one for sharing.
const responseUrlUses = 5;

const apology =
  'Sorry, something went wrong while I was preparing this answer. Please try again in a moment.';
/** After the last attempt to share: the asker learns it did not happen. */
export const shareApology =
  'Sorry, I could not share this answer in the channel. Please try the button again in a moment.';

/** A question asked privately (slash command, button on a private answer); stored as a job. */
export interface CommandQuestion {
  responseUrl: string;
  text: string;
  channel: string;
  user: string;
  preface?: string;
  defaults?: ChannelDefaults;
}

/** Posts to a response_url as Bolt's respond() does; throws when Slack does not take it. */
export function respondThrough(responseUrl: string): RespondFn {
  return async (message: string | RespondArguments) => {
    const body = typeof message === 'string' ? { text: message } : message;
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`the response_url answered ${response.status}`);
    return response;
  };
}

/** The conversation of a user's slash commands in one channel, so "/navigator the second one" works. */
export function commandConversationId(channel: string, user: string): string {
  return `slack:${channel}:command:${user}`;
}

/** How a private answer's messages reach the asker: a response_url, or chat.postEphemeral. */
export interface PrivatePost {
  maxMessages: number;
  post(message: SlackMessage): Promise<unknown>;
  /** Recorded with the send, beside the number of messages. */
  confirmDetail: Record<string, JsonValue>;
  /** For the log: "a command answer". */
  failure: string;
}

/**
 * Composes a private answer in the asker's own conversation of the channel (as for their slash
 * commands), keeps it for "Share in channel", and posts it under one send key, so a retried job
 * never posts it twice. A failure before anything was posted is thrown, for the job to be retried.
 */
export async function answerPrivately(
  context: ChannelContext,
  question: Pick<CommandQuestion, 'text' | 'channel' | 'user' | 'preface' | 'defaults'>,
  sends: SendKeys,
  how: PrivatePost,
): Promise<void> {
  const conversationId = commandConversationId(question.channel, question.user);
  const answer = await context.navigator.ask({
    text: question.text,
    conversationId,
    user: question.user,
    channel: 'slack',
    defaults: question.defaults,
  });
  await postUnderKey(context, sends, 'answer', how, async () => {
    const shareValue = await context.store.sharedAnswers.keep({
      answer,
      question: question.text,
      conversationId,
    });
    return renderAnswer(answer, {
      question: question.text,
      conversationId,
      feedback: 'buttons',
      shareValue,
      preface: question.preface,
    });
  });
}

/**
 * Posts the messages `compose` makes under the send key `key`, so a retried job never posts them
 * twice (nothing, when the key was taken already). A failure before anything was posted gives the key
 * back and is thrown, for the job to be retried; after that it is logged (a retry would repeat).
 */
async function postUnderKey(
  context: ChannelContext,
  sends: SendKeys,
  key: string,
  how: PrivatePost,
  compose: () => Promise<SlackMessage[]>,
): Promise<void> {
  if (!(await sends.claim(key))) return;
  let posted = 0;
  try {
    for (const message of (await compose()).slice(0, how.maxMessages)) {
      await how.post(message);
      posted += 1;
    }
    await sends.confirm(key, { messages: posted, ...how.confirmDetail });
  } catch (error) {
    if (posted === 0) {
      await sends.release(key);
      throw error;
    }
    context.log('error', `slack: could not finish ${how.failure}`, error);
  }
}

/**
 * Answers only the asker sees (slash command, buttons on such answers), sent through the
 * response_url, which works in any conversation, even where the bot is not a member. A "Share in
 * channel" button re-posts the same answer for everyone.
 * Answers are kept for sharing in the store, so any replica can share it (share-answer-jobs.ts).
 */
export class EphemeralAnswers {
  constructor(private readonly context: ChannelContext) {}

  /**
   * Answers through the response_url; the answer goes under one send key, so a retried job never
   * posts it twice. A failure before anything was posted is thrown, for the job to be retried.
   */
  async answer(respond: RespondFn, question: CommandQuestion, sends: SendKeys): Promise<void> {
    await answerPrivately(this.context, question, sends, {
      maxMessages: responseUrlUses,
      post: (message) => respond({ response_type: 'ephemeral', replace_original: false, ...message }),
      confirmDetail: {},
      failure: 'a command answer',
    });
  }

  /** The short note after the last attempt failed, sent at most once. */
  async apologise(respond: RespondFn, sends: SendKeys, text = apology): Promise<void> {
    if (!(await sends.claim('apology'))) return;
    await respond({ response_type: 'ephemeral', replace_original: false, text });
    await sends.confirm('apology');
  }

  /**
   * Posts a kept answer in the channel for everyone under one send key, then uses up the kept copy
   * and removes the private one. Nothing posted yet: thrown, for the job to be retried.
   */
  async share(respond: RespondFn, shareId: string, sends: SendKeys): Promise<void> {
    const shared = shareId ? await this.context.store.sharedAnswers.get(shareId) : undefined;
    if (!shared) {
      if (!(await sends.claim('gone'))) return;
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This answer can no longer be shared. Ask again with /navigator and share the new answer.',
      });
      await sends.confirm('gone');
      return;
    }
    // One use of the response_url stays free for removing the private copy.
    await postUnderKey(
      this.context,
      sends,
      'share',
      {
        maxMessages: responseUrlUses - 1,
        post: (message) => respond({ response_type: 'in_channel', replace_original: false, ...message }),
        confirmDetail: {},
        failure: 'sharing an answer',
      },
      async () =>
        renderAnswer(shared.answer, {
          question: shared.question,
          conversationId: shared.conversationId,
          feedback: 'feedback_buttons',
          preface: `Asked with /navigator: ${shared.question}`,
        }),
    );
    await this.context.store.sharedAnswers.take(shareId);
    await respond({ delete_original: true }).catch(() => {});
  }
}
