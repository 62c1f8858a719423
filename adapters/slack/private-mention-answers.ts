import type { webApi } from '@slack/bolt';
import type { ChannelContext } from '../channel.js';
import type { SendKeys } from '../durable-jobs.js';
import type { ThreadQuestion } from './answer-delivery.js';
import { commandConversationId } from './ephemeral-answers.js';
import { renderAnswer } from './render-answer.js';

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
    // The asker's own conversation in the channel, as for their slash commands: the answer is theirs.
    const conversationId = commandConversationId(question.channel, user);
    const answer = await this.context.navigator.ask({
      text: question.text,
      conversationId,
      user,
      channel: 'slack',
      defaults: question.defaults,
    });
    if (!(await sends.claim('answer'))) return;
    let posted = 0;
    try {
      const shareValue = await this.context.store.sharedAnswers.keep({
        answer,
        question: question.text,
        conversationId,
      });
      const messages = renderAnswer(answer, {
        question: question.text,
        conversationId,
        feedback: 'buttons',
        shareValue,
        preface: question.preface,
      });
      for (const message of messages.slice(0, maxMessages)) {
        await this.client.chat.postEphemeral({
          channel: question.channel,
          user,
          ...(question.threadTs ? { thread_ts: question.threadTs } : {}),
          ...message,
        });
        posted += 1;
      }
      await sends.confirm('answer', { messages: posted, ephemeral: true });
    } catch (error) {
      if (posted === 0) {
        await sends.release('answer');
        throw error;
      }
      this.context.log('error', 'slack: could not finish a private answer', error);
    }
  }
}
