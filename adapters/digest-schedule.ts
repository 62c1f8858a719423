import type { DigestSubscriptions } from '../src/index.js';
import type { ChannelContext } from './channel.js';
import { channelOfKey, digestJobKind, type DigestJob } from './digest-jobs.js';
import type { DurableJobs } from './durable-jobs.js';

// Every replica looks for due digests now and then; claimDue gives each due subscription to one
// replica, which stores its digest as a job and schedules the next period. The schedule is the
// subscriptions' next_due_at in the store, so it survives restarts; a replica that stops between
// the claim and the job leaves the claim to expire and another replica to take it again.

export interface DigestScheduleOptions {
  /** How long a claim is held while its job is stored. Default 5 minutes. */
  leaseMs?: number;
  /** How often to look (NAVIGATOR_DIGEST_CHECK_MS). */
  everyMs: number;
}

/** Once a period: the key that makes a reclaimed subscription's second job a duplicate. */
const periodKey = (channelKey: string, dueAt: Date) => `digest:${channelKey}:${dueAt.toISOString()}`;
const periodKeyTtlMs = 40 * 24 * 60 * 60 * 1000;

export class DigestSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly subscriptions: DigestSubscriptions,
    private readonly jobs: Pick<DurableJobs, 'enqueue'>,
    private readonly log: ChannelContext['log'],
    private readonly options: DigestScheduleOptions,
  ) {}

  /** Stores a digest job for each subscription due now; returns how many this replica took. */
  async runOnce(): Promise<number> {
    const due = await this.subscriptions.claimDue(this.options.leaseMs ?? 5 * 60 * 1000);
    let stored = 0;
    for (const subscription of due) {
      const job: DigestJob = {
        channelKey: subscription.channelKey,
        first: subscription.lastSentAt === undefined,
      };
      try {
        await this.jobs.enqueue({
          kind: digestJobKind(channelOfKey(subscription.channelKey)),
          payload: job,
          deliveryKeys: [periodKey(subscription.channelKey, subscription.nextDueAt)],
          deliveryKeyTtlMs: periodKeyTtlMs,
        });
        await this.subscriptions.markSent(subscription.channelKey);
        stored += 1;
      } catch (error) {
        this.log('warn', `digests: could not schedule ${subscription.channelKey}; retried later`, error);
      }
    }
    return stored;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: unknown) => {
          this.log('warn', 'digests: looking for due digests failed', error);
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.options.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
