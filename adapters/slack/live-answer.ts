import type { types, webApi } from '@slack/bolt';
import type { Answer, AnswerStreamEvent } from '../../src/index.js';
import { messageBudgets } from './block-kit-limits.js';
import { markdownAtoms, markdownForStream, splitSafely } from './mrkdwn.js';
import { packMessages } from './render-answer.js';
import { StreamNotStartedError, type StreamTarget } from './stream-answer.js';

/** What streaming an answer came to: shown in full (`streamed`), or to be posted the usual way. */
export type LiveAnswerOutcome = { streamed: true; answer: Answer } | { streamed: false; answer: Answer };

export interface LiveAnswerOptions {
  /** False once Slack has refused to stream: the answer is only collected. */
  mayStream: boolean;
  /** Shown in italics above the answer, e.g. the follow-up that was asked. */
  preface?: string;
  /** Slack would not start the stream: the answer is then collected and posted the usual way. */
  onStreamRefused(error: StreamNotStartedError): void;
  /** Called once, just before the stream starts (the answer's send key is claimed there). */
  beforeStreaming?(): Promise<void>;
  /** The blocks that follow the text (sources, cards, buttons) and the notification text. */
  renderTail(answer: Answer): { tail: types.KnownBlock[]; fallbackText: string };
}

const restartNote =
  '\n\n---\n_The language model stopped midway, so here is the answer composed from the knowledge base:_\n\n';

/**
 * Shows an answer while the model writes it: chat.startStream once a second piece of text arrives
 * (an answer that comes whole is posted the usual way), chat.appendStream for the rest, and
 * chat.stopStream with the sources and buttons once the final answer is known.
 */
export async function streamLiveAnswer(
  client: webApi.WebClient,
  target: StreamTarget,
  events: AsyncIterable<AnswerStreamEvent>,
  options: LiveAnswerOptions,
): Promise<LiveAnswerOutcome> {
  let first: string | undefined;
  let stream: SlackStreamWriter | undefined;
  let mayStream = options.mayStream;
  const broken = (error: unknown) => (stream ? new StreamInterruptedError(error) : error);
  try {
    for await (const event of events) {
      if (event.type === 'final') {
        if (!stream) return { streamed: false, answer: event.answer };
        await stream.stop(options.renderTail(event.answer));
        return { streamed: true, answer: event.answer };
      }
      if (!mayStream) continue;
      const text = event.type === 'text' ? markdownForStream(event.text) : restartNote;
      if (stream) stream.write(text);
      else if (first === undefined) first = options.preface ? `_${options.preface}_\n\n${text}` : text;
      else
        try {
          await options.beforeStreaming?.();
          stream = await SlackStreamWriter.start(client, target, first + text);
        } catch (error) {
          if (!(error instanceof StreamNotStartedError)) throw error;
          options.onStreamRefused(error);
          mayStream = false;
        }
    }
  } catch (error) {
    throw error instanceof StreamInterruptedError ? error : broken(error);
  }
  throw new Error('The answer stream ended without a final answer');
}

/** Thrown when a stream broke after it started: part of the answer is in the thread. */
export class StreamInterruptedError extends Error {
  constructor(cause: unknown) {
    super('The streamed answer could not be completed', { cause });
  }
}

/** One streamed message; pieces written while a call is under way go out together in the next. */
class SlackStreamWriter {
  private buffer = '';
  private sending: Promise<void> | undefined;
  private failure: unknown;

  private constructor(
    private readonly client: webApi.WebClient,
    private readonly target: StreamTarget,
    private readonly ts: string,
  ) {}

  static async start(
    client: webApi.WebClient,
    target: StreamTarget,
    text: string,
  ): Promise<SlackStreamWriter> {
    const [head = ' ', ...rest] = chunks(text);
    let ts: string | undefined;
    try {
      const started = await client.chat.startStream({
        channel: target.channel,
        thread_ts: target.threadTs,
        markdown_text: head,
        ...(target.user ? { recipient_user_id: target.user } : {}),
        ...(target.teamId ? { recipient_team_id: target.teamId } : {}),
      });
      ts = started.ts;
    } catch (error) {
      throw new StreamNotStartedError(error);
    }
    if (!ts) throw new StreamNotStartedError(new Error('chat.startStream returned no ts'));
    const writer = new SlackStreamWriter(client, target, ts);
    writer.write(rest.join(''));
    return writer;
  }

  write(text: string): void {
    if (!text) return;
    this.buffer += text;
    this.sending ??= this.pump();
  }

  async stop(rendered: { tail: types.KnownBlock[]; fallbackText: string }): Promise<void> {
    while (this.sending) await this.sending;
    if (this.failure) throw new StreamInterruptedError(this.failure);
    const [firstMessage, ...more] = packMessages(rendered.tail, rendered.fallbackText);
    await this.client.chat.stopStream({
      channel: this.target.channel,
      ts: this.ts,
      blocks: firstMessage?.blocks ?? [],
    });
    for (const message of more)
      await this.client.chat.postMessage({
        channel: this.target.channel,
        thread_ts: this.target.threadTs,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
  }

  private async pump(): Promise<void> {
    try {
      while (this.buffer && !this.failure) {
        const pending = this.buffer;
        this.buffer = '';
        for (const chunk of chunks(pending))
          await this.client.chat.appendStream({
            channel: this.target.channel,
            ts: this.ts,
            markdown_text: chunk,
          });
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.sending = undefined;
    }
  }
}

/** Pieces within Slack's size for one streamed chunk, never cutting a link or a marker. */
function chunks(text: string): string[] {
  return text ? splitSafely(text, messageBudgets.streamChunk, markdownAtoms, true) : [];
}
