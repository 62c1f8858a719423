import type { NextFunction, Request, Response } from 'express';

// A replica that falls behind (a slow database, a burst of events) would otherwise hold every
// waiting request in memory until it runs out: past `maxInFlight` requests in progress, new ones get
// 503 with Retry-After at once. Nothing is lost: Slack and Teams deliver a refused event again, a
// balancer sends it to another replica, and the web chat says "try again".

export interface OverloadGuard {
  (request: Request, response: Response, next: NextFunction): void;
  /** Requests in progress now. */
  readonly inFlight: number;
  /** Requests refused since start. */
  readonly refused: number;
}

export function overloadGuard(maxInFlight: number): OverloadGuard {
  let inFlight = 0;
  let refused = 0;
  const guard = (_request: Request, response: Response, next: NextFunction) => {
    if (inFlight >= maxInFlight) {
      refused += 1;
      response.set('Retry-After', '1').status(503).json({ status: 'busy' });
      return;
    }
    inFlight += 1;
    // 'close' fires once per response, whether it finished or the client went away.
    response.once('close', () => {
      inFlight -= 1;
    });
    next();
  };
  return Object.defineProperties(guard, {
    inFlight: { get: () => inFlight },
    refused: { get: () => refused },
  }) as OverloadGuard;
}
