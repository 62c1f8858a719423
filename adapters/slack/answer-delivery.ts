import { webApi } from '@slack/bolt';
import type { ChannelContext } from '../channel.js';
import { askStreaming, type Answer, type ChannelDefaults } from '../../src/index.js';
import type { SendKeys } from '../durable-jobs.js';
import { StreamInterruptedError, streamLiveAnswer, type LiveAnswerOutcome } from './live-answer.js';
import { packMessages, renderAnswerBlocks, type RenderedAnswer } from './render-answer.js';
import { StreamNotStartedError, streamAnswer } from './stream-answer.js';

/**
 * A question to answer in a Slack thread (a channel thread, a DM thread or an assistant thread);
 * plain data, since it is stored as a job.
 */
export interface ThreadQuestion {
  channel: string;
  threadTs: string;
  text: string;
  user?: string;
  teamId?: string;
  /** Shown above the answer, e.g. the follow-up a button asked. */
  preface?: string;
  /** Sets the assistant thread's title (its first question). */
  title?: string;
  /** The channel's default filters and language (its settings). */
  defaults?: ChannelDefaults;
  /** The channel's answers are private: only the asker sees this one. */
  privately?: boolean;
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
 * Asks the Navigator and posts its answer in the thread: status while working, stream or messages.
 * The answer is sent under one send key, so a retried or reclaimed job never posts it twice; a
 * failure before anything was posted is thrown, for the job to be retried with backoff.
 */
export class AnswerDelivery {
  /** Set once Slack refuses streaming (plan, surface or app settings); long answers are then split. */
  private streamingUnavailable = false;

  constructor(
    private readonly context: ChannelContext,
    private readonly client: webApi.WebClient,
  ) {}

  async answerInThread(question: ThreadQuestion, sends: SendKeys): Promise<void> {
    const { client } = this;
    const { channel, threadTs } = question;
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
    // The send key is claimed just before the first post (a live stream starts while the model
    // writes), so a crash while answering leaves the job to be answered again.
    let claimed = false;
    const claim = async () => {
      claimed = claimed || (await sends.claim('answer'));
      if (!claimed) throw new AlreadySentError();
    };
    let posted = 0;
    try {
      const render = (answer: Answer) =>
        renderAnswerBlocks(answer, {
          question: question.text,
          conversationId,
          feedback: 'feedback_buttons',
          preface: question.preface,
          askCurator: Boolean(this.context.config.curators.slackChannel),
        });
      const live = await this.streamLive(question, conversationId, render, claim);
      if (live.streamed) {
        await sends.confirm('answer', { streamed: true });
        return;
      }
      const answer = live.answer;
      await claim();
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
          await sends.confirm('answer', { streamed: true });
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
      await sends.confirm('answer', { messages: posted });
    } catch (error) {
      if (error instanceof AlreadySentError) {
        this.context.log('info', `slack: the answer in ${channel} (thread ${threadTs}) was sent already`);
        return;
      }
      if (error instanceof StreamInterruptedError) posted = 1;
      if (posted === 0) {
        if (claimed) await sends.release('answer');
        throw error;
      }
      // Part of the answer is in the thread: sending it again would repeat that part.
      this.context.log('error', `slack: could not finish the answer in ${channel} (${threadTs})`, error);
      await this.apologise(question, sends, partialApology);
    }
  }

  /** Streams the answer while the model writes it; an answer that comes whole is left to post. */
  private async streamLive(
    question: ThreadQuestion,
    conversationId: string,
    render: (answer: Answer) => RenderedAnswer,
    beforeStreaming: () => Promise<void>,
  ): Promise<LiveAnswerOutcome> {
    const events = askStreaming(this.context.navigator, {
      text: question.text,
      conversationId,
      user: question.user,
      channel: 'slack',
      defaults: question.defaults,
    });
    const target = {
      channel: question.channel,
      threadTs: question.threadTs,
      user: question.user,
      teamId: question.teamId,
    };
    return streamLiveAnswer(this.client, target, events, {
      mayStream: !this.streamingUnavailable,
      preface: question.preface,
      renderTail: render,
      beforeStreaming,
      onStreamRefused: (error) => this.noteStreamRefused(error),
    });
  }

  private noteStreamRefused(error: StreamNotStartedError): void {
    // Slack saying no (a platform error) is lasting; a network failure only concerns this answer.
    const refused = (error.cause as { code?: string } | undefined)?.code === webApi.ErrorCode.PlatformError;
    if (refused) this.streamingUnavailable = true;
    this.context.log('info', 'slack: could not stream this answer; sending it as messages', error.cause);
  }

  /** The short note after the last attempt failed (or after a partial answer), sent at most once. */
  async apologise(question: ThreadQuestion, sends: SendKeys, text = apology): Promise<void> {
    const { channel, threadTs } = question;
    if (!(await sends.claim('apology'))) return;
    const posting = this.bestEffort('post the apology', () =>
      this.client.chat.postMessage({ channel, thread_ts: threadTs, text }),
    );
    if (await posting) await sends.confirm('apology');
    else
      await this.bestEffort('clear the status', () =>
        this.client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status: '' }),
      );
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

/** Another attempt (a retry or a reclaimed job) already posted this answer. */
class AlreadySentError extends Error {
  constructor() {
    super('The answer was sent already');
  }
}
