import { z } from 'zod';
import { composeDigest, loadKnowledge, type JsonValue, type KnowledgeDigest } from '../src/index.js';
import type { ChannelContext } from './channel.js';
import { sendKeysFor } from './durable-jobs.js';

// A due digest is a job, like an answer: the schedule stores it (once per period, by one replica)
// and any replica's worker composes and posts it, retried with backoff, posted under one send key.

/** The job kind of a channel's digests: "slack_digest", "teams_digest". */
export const digestJobKind = (channel: string) => `${channel}_digest`;

/** The channel a subscription's key names: "slack" for "slack:C0123". */
export const channelOfKey = (channelKey: string) => channelKey.slice(0, channelKey.indexOf(':'));

export const digestJobSchema = z.object({
  channelKey: z.string().min(3),
  /** Whether this is the first digest since the channel subscribed. */
  first: z.boolean(),
});
export type DigestJob = z.infer<typeof digestJobSchema>;

/** Posts a composed digest to the channel the key names; returns what the channel said (e.g. the ts). */
export type PostDigest = (channelKey: string, digest: KnowledgeDigest) => Promise<JsonValue | undefined>;

const sendKey = 'digest';

/** Lets this replica's worker post the digests of `channel` with `post`. */
export function registerDigestJobs(context: ChannelContext, channel: string, post: PostDigest): void {
  const { store, log } = context;
  context.jobs.register(digestJobKind(channel), {
    async run(job) {
      const { channelKey, first } = digestJobSchema.parse(job.payload);
      const subscription = await store.digestSubscriptions.get(channelKey);
      if (!subscription) return; // unsubscribed since the digest fell due
      const { entries } = await loadKnowledge(context.config.knowledgeDir);
      const digest = composeDigest(entries, subscription, { first });
      const sends = sendKeysFor(job, store.jobs);
      if (await sends.claim(sendKey)) {
        let detail: JsonValue | undefined;
        try {
          detail = await post(channelKey, digest);
        } catch (error) {
          // The channel refused it (not a member, rate limited…): the retry may post it.
          await sends.release(sendKey);
          throw error;
        }
        await sends.confirm(sendKey, detail ?? null);
      }
      // Also when an earlier attempt posted it and stopped before this: the channel has seen these.
      await store.digestSubscriptions.saveEntryHashes(channelKey, digest.entryHashes);
    },
    async onDead(job, error) {
      log('error', `${channel}: gave up posting a knowledge digest after its last attempt`, {
        payload: job.payload,
        error: error instanceof Error ? error.message : String(error),
      });
    },
  });
}
