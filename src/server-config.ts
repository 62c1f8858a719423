import { isIP } from 'node:net';
import { z } from 'zod';

// How one replica takes requests in, read from the environment: how many at once, and which
// proxies in front of it may say who the client is.

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Requests in progress on one replica before it answers 503 (Slack and Teams retry, a balancer moves on). */
export const defaultMaxInFlight = 1024;

/** Express's `trust proxy`: off, every proxy, a number of hops, or named addresses and subnets. */
export type TrustProxy = boolean | number | string[];

const trustProxyMessage =
  'must be "false", "true", a number of proxies such as 1, or a comma list of addresses or ' +
  'subnets (e.g. "loopback, 10.0.0.0/8")';
const namedSubnets = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(item: string): boolean {
  if (namedSubnets.has(item)) return true;
  const [address, prefix, ...rest] = item.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

export function parseTrustProxy(value: string): TrustProxy | undefined {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const items = trimmed.split(',').map((item) => item.trim());
  return items.every(isAddressOrSubnet) ? items : undefined;
}

export const serverEnvironment = {
  NAVIGATOR_TRUST_PROXY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((value, context) => {
        const parsed = parseTrustProxy(value);
        if (parsed === undefined) {
          context.addIssue({ code: 'custom', message: trustProxyMessage });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
  ),
  NAVIGATOR_MAX_IN_FLIGHT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a whole number of requests such as 1024' })
      .int({ message: 'must be a whole number of requests such as 1024' })
      .min(8, { message: 'must be at least 8 requests' })
      .max(100_000)
      .optional(),
  ),
};

export function maxInFlightSetting(values: { NAVIGATOR_MAX_IN_FLIGHT?: number }): number {
  return values.NAVIGATOR_MAX_IN_FLIGHT ?? defaultMaxInFlight;
}

/**
 * Off by default: request.ip is then the peer's address, which nobody can forge. Behind a load
 * balancer that is the balancer for every user, so the web chat's per-address limit needs this.
 */
export function trustProxySetting(values: { NAVIGATOR_TRUST_PROXY?: TrustProxy }): TrustProxy {
  return values.NAVIGATOR_TRUST_PROXY ?? false;
}
