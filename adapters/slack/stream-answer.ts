import type { types, webApi } from '@slack/bolt';
import { messageBudgets } from './block-kit-limits.js';
import { markdownAtoms, markdownForStream, splitSafely } from './mrkdwn.js';
import { packMessages } from './render-answer.js';

export interface StreamTarget {
  channel: string;
  threadTs: string;
  /** Required by chat.startStream outside direct messages. */
  user?: string;
  teamId?: string;
}

/** Thrown when Slack refused to start a stream: nothing was posted, so plain messages can follow. */
export class StreamNotStartedError extends Error {
  constructor(cause: unknown) {
    super('Slack did not start the stream', { cause });
  }
}

/**
 * Streams a long answer as one message (chat.startStream → appendStream → stopStream): the text
 * is not bound by the 50-block and 3,000-character section limits, and the sources, cards and
 * buttons follow as blocks when the stream stops, as Bolt's agent guide does with feedback buttons.
 */
export async function streamAnswer(
  client: webApi.WebClient,
  target: StreamTarget,
  markdown: string,
  tail: types.KnownBlock[],
  fallbackText: string,
): Promise<void> {
  // Chunks are appended as they are, so they keep their whitespace and never split a link or a [n].
  const chunks = splitSafely(markdownForStream(markdown), messageBudgets.streamChunk, markdownAtoms, true);
  let ts: string | undefined;
  try {
    const started = await client.chat.startStream({
      channel: target.channel,
      thread_ts: target.threadTs,
      markdown_text: chunks[0] ?? ' ',
      ...(target.user ? { recipient_user_id: target.user } : {}),
      ...(target.teamId ? { recipient_team_id: target.teamId } : {}),
    });
    ts = started.ts;
  } catch (error) {
    throw new StreamNotStartedError(error);
  }
  if (!ts) throw new StreamNotStartedError(new Error('chat.startStream returned no ts'));
  for (const chunk of chunks.slice(1))
    await client.chat.appendStream({ channel: target.channel, ts, markdown_text: chunk });
  const [first, ...more] = packMessages(tail, fallbackText);
  await client.chat.stopStream({ channel: target.channel, ts, blocks: first?.blocks ?? [] });
  for (const message of more)
    await client.chat.postMessage({
      channel: target.channel,
      thread_ts: target.threadTs,
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
}
