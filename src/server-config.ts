import { z } from 'zod';

// How much one replica takes in at once, read from the environment.

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Requests in progress on one replica before it answers 503 (Slack and Teams retry, a balancer moves on). */
export const defaultMaxInFlight = 256;

export const serverEnvironment = {
  NAVIGATOR_MAX_IN_FLIGHT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a whole number of requests such as 256' })
      .int({ message: 'must be a whole number of requests such as 256' })
      .min(8, { message: 'must be at least 8 requests' })
      .max(100_000)
      .optional(),
  ),
};

export function maxInFlightSetting(values: { NAVIGATOR_MAX_IN_FLIGHT?: number }): number {
  return values.NAVIGATOR_MAX_IN_FLIGHT ?? defaultMaxInFlight;
}
