import type { ChannelContext } from '../channel.js';

/**
 * Work that runs after Slack has been acknowledged. Slack wants an HTTP 200 within 3 seconds and
 * retries otherwise, so answers are never produced inside the request; errors end in the log.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: ChannelContext['log']) {}

  run(name: string, task: () => Promise<void>): void {
    const promise = Promise.resolve()
      .then(task)
      .catch((error: unknown) => this.log('error', `slack: ${name} failed`, error))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Waits for work in progress (at shutdown), at most `timeoutMillis`. */
  async drain(timeoutMillis = 15_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMillis);
    });
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
  }
}
