import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/assistant/llm/circuit-breaker.js';

function breakerWithClock(failureThreshold = 3, resetAfterMs = 1000) {
  const clock = { now: 0 };
  const breaker = new CircuitBreaker({ failureThreshold, resetAfterMs, now: () => clock.now });
  return { breaker, clock };
}

describe('CircuitBreaker', () => {
  it('uses 3 failures and 30 s by default', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ now: () => now });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    now = 29_999;
    expect(breaker.canRequest()).toBe(false);
    now = 30_000;
    expect(breaker.canRequest()).toBe(true);
  });

  it('opens only after the threshold of consecutive failures', () => {
    const { breaker } = breakerWithClock(3);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess(); // resets the streak
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.canRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.canRequest()).toBe(false);
  });

  it('lets exactly one trial through once resetAfterMs has passed, and closes on success', () => {
    const { breaker, clock } = breakerWithClock(2, 1000);
    breaker.recordFailure();
    breaker.recordFailure();
    clock.now = 999;
    expect(breaker.state).toBe('open');
    expect(breaker.canRequest()).toBe(false);
    clock.now = 1000;
    expect(breaker.state).toBe('half-open');
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.canRequest()).toBe(false); // the trial is in flight
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.canRequest()).toBe(true);
  });

  it('re-opens for another full wait when the trial fails', () => {
    const { breaker, clock } = breakerWithClock(2, 1000);
    breaker.recordFailure();
    breaker.recordFailure();
    clock.now = 1500;
    expect(breaker.canRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    clock.now = 2499;
    expect(breaker.canRequest()).toBe(false);
    clock.now = 2500;
    expect(breaker.canRequest()).toBe(true);
  });

  it('allows a new trial when the previous one never reported back', () => {
    const { breaker, clock } = breakerWithClock(1, 1000);
    breaker.recordFailure();
    clock.now = 1000;
    expect(breaker.canRequest()).toBe(true);
    clock.now = 1999;
    expect(breaker.canRequest()).toBe(false);
    clock.now = 2000;
    expect(breaker.canRequest()).toBe(true);
  });
});
