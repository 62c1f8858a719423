import type { ChannelContext } from './channel.js';

/**
 * Work that runs after a channel's request has been answered: Slack wants an HTTP 200 within
 * 3 seconds and Teams a reply within 15, so slow answers are finished here; errors end in the log.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly log: ChannelContext['log'],
    private readonly channel: string,
  ) {}

  run(name: string, task: () => Promise<void>): void {
    const promise = Promise.resolve()
      .then(task)
      .catch((error: unknown) => this.log('error', `${this.channel}: ${name} failed`, error))
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
