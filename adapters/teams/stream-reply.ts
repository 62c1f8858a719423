import { ActivityTypes, type Activity, type Entity, type ResourceResponse } from 'botbuilder';

// Teams' streaming protocol for one-on-one chats: typing activities carrying a `streaminfo` entity —
// first an informative update (its id becomes the stream id), then `streaming` updates each holding
// the whole text so far, numbered 1, 2, 3… — and last a message with streamType `final` (no number)
// that carries the label, citations, feedback and cards. Teams throttles faster than about one
// update a second, so pieces that arrive meanwhile go out together.

export type SendActivity = (activity: Partial<Activity>) => Promise<ResourceResponse | undefined>;

/** Thrown when Teams would not start a stream: nothing was shown, so the usual reply can follow. */
export class TeamsStreamNotStartedError extends Error {
  constructor(cause: unknown) {
    super('Teams did not start the stream', { cause });
  }
}

const streamInfo = (fields: Record<string, unknown>): Entity => ({ type: 'streaminfo', ...fields });

/** One streamed reply in a personal chat. */
export class TeamsStream {
  private sequence = 1;
  private text = '';
  private shown = '';
  private frozen = false;
  private ended = false;
  private pumping: Promise<void> | undefined;
  private failure: unknown;
  private wakeEarly: (() => void) | undefined;

  private constructor(
    private send: SendActivity,
    private readonly streamId: string,
    private readonly intervalMs: number,
  ) {}

  /** Sends the informative update ("Searching…") that opens the stream. */
  static async start(send: SendActivity, informative: string, intervalMs: number): Promise<TeamsStream> {
    let response: ResourceResponse | undefined;
    try {
      response = await send({
        type: ActivityTypes.Typing,
        text: informative,
        entities: [streamInfo({ streamType: 'informative', streamSequence: 1 })],
      });
    } catch (error) {
      throw new TeamsStreamNotStartedError(error);
    }
    if (!response?.id) throw new TeamsStreamNotStartedError(new Error('Teams returned no stream id'));
    return new TeamsStream(send, response.id, intervalMs);
  }

  /** Sends the rest through another turn's context (the stream continues in a proactive turn). */
  sendThrough(send: SendActivity): void {
    this.send = send;
  }

  /** Adds text; it is shown with the next update. */
  append(piece: string): void {
    if (this.frozen || this.ended || !piece) return;
    this.text += piece;
    this.pumping ??= this.pump();
  }

  /** Stops the updates: what follows replaces the text (Teams only lets a stream grow). */
  freeze(): void {
    this.frozen = true;
  }

  /** Ends the stream with the final message(s); the first carries the final streaminfo. */
  async finish(messages: Partial<Activity>[]): Promise<string[]> {
    this.ended = true;
    this.wakeEarly?.();
    while (this.pumping) await this.pumping;
    if (this.failure) throw new Error('A streamed update failed', { cause: this.failure });
    const ids: string[] = [];
    for (const [index, message] of messages.entries()) {
      const outgoing =
        index === 0
          ? {
              ...message,
              entities: [
                ...(message.entities ?? []),
                streamInfo({ streamId: this.streamId, streamType: 'final' }),
              ],
            }
          : message;
      const response = await this.send(outgoing);
      if (response?.id) ids.push(response.id);
    }
    return ids;
  }

  private async pump(): Promise<void> {
    try {
      while (!this.ended && !this.frozen && this.text !== this.shown) {
        await this.pause();
        if (this.ended || this.frozen) break;
        const text = this.text;
        this.sequence += 1;
        await this.send({
          type: ActivityTypes.Typing,
          text,
          entities: [
            streamInfo({ streamId: this.streamId, streamType: 'streaming', streamSequence: this.sequence }),
          ],
        });
        this.shown = text;
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.pumping = undefined;
    }
  }

  /** Waits out Teams' pace between updates; the final message does not wait. */
  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeEarly = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.intervalMs);
      this.wakeEarly = done;
    });
  }
}
