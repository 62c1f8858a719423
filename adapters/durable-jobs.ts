import { hostname } from 'node:os';
import {
  startJobWorker,
  type ClaimedJob,
  type EnqueueJob,
  type EnqueueResult,
  type JobContext,
  type JobQueue,
  type JobWorker,
  type JsonValue,
} from '../src/index.js';
import type { ChannelContext } from './channel.js';

// Durable answers for every channel: a channel stores an accepted event as a job before it
// acknowledges it, and registers how a job of its kinds is answered. One worker per replica works
// the shared queue, so an answer survives a restart, a crash (the lease runs out) or a replica
// that stops, and any replica may deliver it.

/** How a channel answers one of its jobs. */
export interface JobHandler {
  /** Throwing schedules a retry with backoff; sends must go through `context.claimSend`. */
  run(job: ClaimedJob, context: JobContext): Promise<void>;
  /** After the last attempt: tell the user (a short apology) with its own send key. */
  onDead(job: ClaimedJob, error: unknown): Promise<void>;
}

export interface DurableJobsOptions {
  /** Jobs answered at once on this replica. Default 4. */
  concurrency?: number;
  /** Lease per job, renewed while it runs; a crashed replica's job is reclaimed after it. Default 60 s. */
  leaseMs?: number;
  pollMs?: number;
}

export class DurableJobs {
  private readonly handlers = new Map<string, JobHandler>();
  private worker: JobWorker | undefined;

  constructor(
    private readonly queue: JobQueue,
    private readonly log: ChannelContext['log'],
    private readonly options: DurableJobsOptions = {},
  ) {}

  /** A channel's handler for `kind`; register before start(). */
  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Stores the job (claiming its delivery keys); resolve before acknowledging the delivery. */
  async enqueue(job: EnqueueJob): Promise<EnqueueResult> {
    const result = await this.queue.enqueue(job);
    if (result.status === 'enqueued') this.worker?.wake();
    return result;
  }

  /** Starts answering the registered kinds from the shared queue. */
  start(): void {
    if (this.worker || this.handlers.size === 0) return;
    this.worker = startJobWorker({
      jobs: this.queue,
      workerId: `${hostname()}:${process.pid}`,
      kinds: [...this.handlers.keys()],
      concurrency: this.options.concurrency,
      leaseMs: this.options.leaseMs,
      pollMs: this.options.pollMs,
      log: this.log,
      run: (job, context) => this.handlerFor(job).run(job, context),
      onDead: (job, error) => this.handlerFor(job).onDead(job, error),
    });
  }

  /** Waits up to `drainMs` for the answers in progress; the rest go back to the queue for any replica. */
  async stop(drainMs: number): Promise<void> {
    if (!this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    const { finished, handedBack } = await worker.stop(drainMs);
    if (finished + handedBack > 0)
      this.log('info', `jobs: ${finished} answer(s) finished during shutdown, ${handedBack} left queued`);
  }

  private handlerFor(job: ClaimedJob): JobHandler {
    const handler = this.handlers.get(job.kind);
    if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`);
    return handler;
  }
}

/** Idempotency keys for the messages of one job: a message claimed once is never sent twice. */
export interface SendKeys {
  /** False: this message was sent (or is being sent) already, by this or another replica; skip it. */
  claim(message: string): Promise<boolean>;
  /** Records the delivery with what the channel returned. */
  confirm(message: string, detail?: JsonValue): Promise<void>;
  /** Gives the key back after a send that certainly failed, so a retry may send it. */
  release(message: string): Promise<void>;
  /** True when this message was sent or is being sent already; claims nothing. */
  taken(message: string): Promise<boolean>;
}

/** The send keys of `job`, named `<job id>:<message>`. */
export function sendKeysFor(job: Pick<ClaimedJob, 'jobId'>, queue: JobQueue): SendKeys {
  const key = (message: string) => `${job.jobId}:${message}`;
  return {
    claim: (message) => queue.claimSend(job, key(message)),
    confirm: (message, detail) => queue.confirmSend(key(message), detail),
    release: (message) => queue.releaseSend(key(message)),
    taken: (message) => queue.sendTaken(key(message)),
  };
}
