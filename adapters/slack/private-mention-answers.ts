import type { webApi } from '@slack/bolt';
import type { ChannelContext } from '../channel.js';
import type { SendKeys } from '../durable-jobs.js';
import type { ThreadQuestion } from './answer-delivery.js';
import { answerPrivately } from './ephemeral-answers.js';

// Ephemeral messages are not kept by Slack and a long answer is several of them; a few is plenty.
const maxMessages = 5;

/**
 * A mention in a channel whose answers are private by default: answered with chat.postEphemeral
 * (only the asker sees it, in the thread if asked in one), with the "Share in channel" button that
 * slash-command answers have; the click is handled by the same listener (EphemeralAnswers.share).
 */
export class PrivateMentionAnswers {
  constructor(
    private readonly context: ChannelContext,
    private readonly client: webApi.WebClient,
  ) {}

  async answer(question: ThreadQuestion, sends: SendKeys): Promise<void> {
    const user = question.user;
    if (!user) return;
    await answerPrivately(this.context, { ...question, user }, sends, {
      maxMessages,
      post: (message) =>
        this.client.chat.postEphemeral({
          channel: question.channel,
          user,
          ...(question.threadTs ? { thread_ts: question.threadTs } : {}),
          ...message,
        }),
      confirmDetail: { ephemeral: true },
      failure: 'a private answer',
    });
  }
}
