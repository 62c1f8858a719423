export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 3). */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial request may go through (default 30 s). */
  resetAfterMs?: number;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
}

/** Stops calling a failing service for a while, then lets a single trial request probe it. */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly resetAfterMs: number;
  private readonly now: () => number;
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private trialStartedAt: number | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 3;
    this.resetAfterMs = options.resetAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The current state; an open circuit whose wait is over reads as half-open. */
  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.resetAfterMs ? 'half-open' : 'open';
  }

  /** True when a request may be sent now; in half-open state only one trial at a time is allowed. */
  canRequest(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    // A trial whose outcome was never recorded (e.g. cancelled by the caller) must not block forever.
    const now = this.now();
    if (this.trialStartedAt !== undefined && now - this.trialStartedAt < this.resetAfterMs) return false;
    this.trialStartedAt = now;
    return true;
  }

  /** Records a successful request: the circuit closes and the failure count resets. */
  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.trialStartedAt = undefined;
  }

  /** Records a failed request: opens the circuit at the threshold, or re-opens it after a failed trial. */
  recordFailure(): void {
    this.consecutiveFailures += 1;
    this.trialStartedAt = undefined;
    if (this.openedAt !== undefined || this.consecutiveFailures >= this.failureThreshold) {
      this.openedAt = this.now();
    }
  }
}
