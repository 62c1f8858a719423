import { webApi } from '@slack/bolt';
import type { ChannelContext } from '../channel.js';
import { askStreaming, type Answer } from '../../src/index.js';
import { StreamInterruptedError, streamLiveAnswer, type LiveAnswerOutcome } from './live-answer.js';
import { packMessages, renderAnswerBlocks, type RenderedAnswer } from './render-answer.js';
import { StreamNotStartedError, streamAnswer } from './stream-answer.js';

/** A question to answer in a Slack thread (a channel thread, a DM thread or an assistant thread). */
export interface ThreadQuestion {
  client: webApi.WebClient;
  channel: string;
  threadTs: string;
  text: string;
  user?: string;
  teamId?: string;
  /** Shown above the answer, e.g. the follow-up a button asked. */
  preface?: string;
  /** Sets the assistant thread's title (its first question). */
  title?: string;
}

/** Thread ts identifies a conversation only within its channel, so both make the id. */
export function conversationIdFor(channel: string, threadTs: string): string {
  return `slack:${channel}:${threadTs}`;
}

const apology =
  'Sorry, something went wrong while I was preparing this answer. Please try again in a moment.';
const partialApology = 'Sorry, the rest of this answer could not be sent. Please ask again in a moment.';
const loadingMessages = [
  'Searching cases and toolkits…',
  'Checking the sources…',
  'Putting the answer together…',
];

/**
 * Asks the Navigator and posts its answer in the thread: status while working, stream or messages,
 * apology on failure.
 */
export class AnswerDelivery {
  /** Set once Slack refuses streaming (plan, surface or app settings); long answers are then split. */
  private streamingUnavailable = false;

  constructor(private readonly context: ChannelContext) {}

  async answerInThread(question: ThreadQuestion): Promise<void> {
    const { client, channel, threadTs } = question;
    const conversationId = conversationIdFor(channel, threadTs);
    // Shown until the bot posts in the thread; assistant threads and newer surfaces support it.
    await this.bestEffort('set the thinking status', () =>
      client.assistant.threads.setStatus({
        channel_id: channel,
        thread_ts: threadTs,
        status: 'is thinking…',
        loading_messages: loadingMessages,
      }),
    );
    if (question.title)
      await this.bestEffort('set the thread title', () =>
        client.assistant.threads.setTitle({
          channel_id: channel,
          thread_ts: threadTs,
          title: question.title!.slice(0, 200),
        }),
      );
    let posted = 0;
    try {
      const render = (answer: Answer) =>
        renderAnswerBlocks(answer, {
          question: question.text,
          conversationId,
          feedback: 'feedback_buttons',
          preface: question.preface,
        });
      const live = await this.streamLive(client, question, conversationId, render);
      if (live.streamed) return;
      const answer = live.answer;
      const rendered = render(answer);
      const messages = packMessages([...rendered.body, ...rendered.tail], rendered.fallbackText);
      if (messages.length > 1 && !this.streamingUnavailable) {
        try {
          const text = question.preface ? `_${question.preface}_\n\n${answer.text}` : answer.text;
          await streamAnswer(
            client,
            { channel, threadTs, user: question.user, teamId: question.teamId },
            text,
            rendered.tail,
            rendered.fallbackText,
          );
          return;
        } catch (error) {
          if (!(error instanceof StreamNotStartedError)) {
            posted = 1; // part of the answer is already in the thread
            throw error;
          }
          // Slack saying no (a platform error) is lasting; a network failure only concerns this answer.
          const refused =
            (error.cause as { code?: string } | undefined)?.code === webApi.ErrorCode.PlatformError;
          if (refused) this.streamingUnavailable = true;
          this.context.log(
            'info',
            'slack: could not stream this answer; sending it as several messages',
            error.cause,
          );
        }
      }
      for (const message of messages) {
        // A 429 is retried inside the Web API client, so a part is never lost or posted twice.
        await client.chat.postMessage({
          channel,
          thread_ts: threadTs,
          ...message,
          unfurl_links: false,
          unfurl_media: false,
        });
        posted += 1;
      }
    } catch (error) {
      if (error instanceof StreamInterruptedError) posted = 1;
      this.context.log('error', `slack: could not answer in ${channel} (thread ${threadTs})`, error);
      const posting = this.bestEffort('post the apology', () =>
        client.chat.postMessage({
          channel,
          thread_ts: threadTs,
          text: posted > 0 ? partialApology : apology,
        }),
      );
      if (!(await posting))
        await this.bestEffort('clear the status', () =>
          client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status: '' }),
        );
    }
  }

  /** Streams the answer while the model writes it; an answer that comes whole is left to post. */
  private async streamLive(
    client: webApi.WebClient,
    question: ThreadQuestion,
    conversationId: string,
    render: (answer: Answer) => RenderedAnswer,
  ): Promise<LiveAnswerOutcome> {
    const events = askStreaming(this.context.navigator, {
      text: question.text,
      conversationId,
      user: question.user,
      channel: 'slack',
    });
    const target = {
      channel: question.channel,
      threadTs: question.threadTs,
      user: question.user,
      teamId: question.teamId,
    };
    const options = { mayStream: !this.streamingUnavailable, preface: question.preface, renderTail: render };
    return streamLiveAnswer(client, target, events, {
      ...options,
      onStreamRefused: (error) => this.noteStreamRefused(error),
    });
  }

  private noteStreamRefused(error: StreamNotStartedError): void {
    // Slack saying no (a platform error) is lasting; a network failure only concerns this answer.
    const refused = (error.cause as { code?: string } | undefined)?.code === webApi.ErrorCode.PlatformError;
    if (refused) this.streamingUnavailable = true;
    this.context.log('info', 'slack: could not stream this answer; sending it as messages', error.cause);
  }

  /** Runs a call whose failure must not stop the answer; true when it worked. */
  private async bestEffort(what: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      this.context.log('debug', `slack: could not ${what}`, error);
      return false;
    }
  }
}
