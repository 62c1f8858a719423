import type { ClaimedJob, JobQueue } from './jobs.js';
import type { StoreLog } from './open-store.js';

// The loop that turns stored jobs into answers on this replica: claims up to `concurrency` jobs,
// renews each lease while its job runs, completes or fails it, and calls `onDead` once for a job
// that has used all its attempts (the apology). On shutdown it stops claiming, waits for the
// running jobs as long as the drain budget allows, and hands the rest back to the queue at once,
// so another replica (or this one after its restart) picks them up without waiting for the lease.

export interface JobContext {
  /** Aborted when the lease was lost (another worker has the job) or the worker handed it back. */
  signal: AbortSignal;
  /** Claims a send key before a message goes out (at most once); false: it was sent already, skip it. */
  claimSend(sendKey: string): Promise<boolean>;
}

export interface JobWorkerOptions {
  jobs: JobQueue;
  /** Names this replica in the jobs table (locked_by), e.g. hostname and pid. */
  workerId: string;
  /** Runs one job; throwing schedules a retry with backoff, or makes the job dead after the last attempt. */
  run(job: ClaimedJob, context: JobContext): Promise<void>;
  /** Once per dead job: send the user a short apology (with its own send key). */
  onDead(job: ClaimedJob, error: unknown): Promise<void>;
  kinds?: readonly string[];
  /** Jobs run at once on this replica. Default 4. */
  concurrency?: number;
  /** Lease per claim, renewed every third of it while the job runs. Default 60 s. */
  leaseMs?: number;
  /** How often to look for due jobs when not woken. Default 1 s. */
  pollMs?: number;
  log?: StoreLog;
}

export interface JobWorker {
  /** Looks for work now, e.g. right after this replica enqueued a job. */
  wake(): void;
  /** Jobs running now. */
  readonly running: number;
  /**
   * Stops claiming, waits up to `drainMs` for the running jobs, then hands the unfinished ones back
   * to the queue. Returns how many finished during the drain and how many were handed back.
   */
  stop(drainMs: number): Promise<{ finished: number; handedBack: number }>;
}

interface RunningJob {
  job: ClaimedJob;
  controller: AbortController;
  done: Promise<void>;
}

/** Starts working the queue on this replica. */
export function startJobWorker(options: JobWorkerOptions): JobWorker {
  const { jobs, workerId, log = () => {} } = options;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 60_000;
  const running = new Map<string, RunningJob>();
  let stopping = false;
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;

  async function handle(job: ClaimedJob, controller: AbortController): Promise<void> {
    const renewal = setInterval(
      () => {
        jobs.renew(job, leaseMs).then(
          (held) => {
            if (!held) controller.abort(new Error('the lease was lost to another worker'));
          },
          (error: unknown) => log('warn', `jobs: could not renew the lease of ${job.jobId}`, error),
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      if (job.exhausted) {
        const error = new Error('the last attempt did not finish (its worker stopped or crashed)');
        await options
          .onDead(job, error)
          .catch((cause: unknown) => log('error', 'jobs: the apology failed', cause));
        await jobs.fail(job, error);
        return;
      }
      await options.run(job, {
        signal: controller.signal,
        claimSend: (sendKey) => jobs.claimSend(job, sendKey),
      });
      if (!(await jobs.complete(job))) log('warn', `jobs: ${job.jobId} finished after its lease was lost`);
    } catch (error) {
      if (controller.signal.aborted) return; // handed back or taken over: the job is someone else's now
      const result = await jobs.fail(job, error);
      if (result.status === 'dead') {
        log('error', `jobs: ${job.kind} ${job.jobId} is dead after ${result.attempt} attempt(s)`, error);
        await options
          .onDead(job, error)
          .catch((cause: unknown) => log('error', 'jobs: the apology failed', cause));
      } else if (result.status === 'retrying') {
        log('warn', `jobs: ${job.kind} ${job.jobId} failed (attempt ${result.attempt}); retrying`, error);
      }
    } finally {
      clearInterval(renewal);
    }
  }

  function pump(): Promise<void> {
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    pumping = claimWhileFree().finally(() => {
      pumping = undefined;
    });
    return pumping;
  }

  async function claimWhileFree(): Promise<void> {
    try {
      do {
        pumpAgain = false;
        while (!stopping && running.size < concurrency) {
          const job = await jobs.claim(workerId, { leaseMs, kinds: options.kinds });
          if (!job) break;
          const controller = new AbortController();
          const done = handle(job, controller)
            .catch((error: unknown) => log('error', `jobs: handling ${job.jobId} failed`, error))
            .finally(() => {
              running.delete(job.jobId);
              if (!stopping) void pump();
            });
          running.set(job.jobId, { job, controller, done });
        }
      } while (pumpAgain && !stopping);
    } catch (error) {
      log('warn', 'jobs: could not claim work; trying again at the next poll', error);
    }
  }

  const poll = setInterval(() => void pump(), options.pollMs ?? 1_000);
  poll.unref();
  void pump();

  return {
    wake: () => void pump(),
    get running() {
      return running.size;
    },
    async stop(drainMs: number) {
      stopping = true;
      clearInterval(poll);
      // A claim in flight still lands in `running`, so it is drained or handed back like the rest.
      await pumping;
      const before = running.size;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...running.values()].map((entry) => entry.done)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drainMs);
        }),
      ]);
      clearTimeout(timer);
      const unfinished = [...running.values()];
      for (const entry of unfinished) {
        entry.controller.abort(new Error('the worker is stopping; the job goes back to the queue'));
        await jobs
          .release(entry.job)
          .catch((error: unknown) => log('warn', `jobs: could not hand ${entry.job.jobId} back`, error));
      }
      return { finished: before - unfinished.length, handedBack: unfinished.length };
    },
  };
}
