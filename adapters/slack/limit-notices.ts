import type { webApi } from '@slack/bolt';
import type { AskRefusal } from '../ask-limits.js';
import type { BackgroundTasks } from '../background-tasks.js';

// A question over an ask limit gets a short notice instead of an answer, where the answer would go.

/** The notice's text: when to ask again. */
export const waitNotice = (refusal: AskRefusal) => `:hourglass_flowing_sand: ${refusal.message}`;

/** Posts the notice in the thread the answer would have gone to. */
export async function tellToWait(
  client: webApi.WebClient,
  where: { channel: string; threadTs: string },
  refusal: AskRefusal,
): Promise<void> {
  await client.chat.postMessage({
    channel: where.channel,
    thread_ts: where.threadTs,
    text: waitNotice(refusal),
  });
}

/**
 * `tellToWait` after the acknowledgement, not stored: the question it refuses is not kept either,
 * and a lost notice costs the person nothing that asking again would not show.
 */
export function postWaitNotice(
  tasks: BackgroundTasks,
  client: webApi.WebClient,
  where: { channel: string; threadTs: string },
  refusal: AskRefusal,
): void {
  tasks.run('telling an asker to wait', () => tellToWait(client, where, refusal));
}
