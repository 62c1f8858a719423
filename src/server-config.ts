import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import {
  emptyToUndefined,
  optionalString,
  optionalWholeNumber,
  type ValuesOf,
} from './environment-values.js';

// How one replica serves HTTP, read from the environment: its port, how many requests it takes
// at once, and which proxies in front of it may say who the client is.

/** Requests in progress on one replica before it answers 503 (Slack and Teams retry, a balancer moves on). */
export const defaultMaxInFlight = 1024;

/** Express's `trust proxy`: off, every proxy, a number of hops, or named addresses and subnets. */
export type TrustProxy = boolean | number | string[];

export interface ServerSettings {
  port: number;
  production: boolean;
  /** NAVIGATOR_MAX_IN_FLIGHT: requests in progress before this replica answers 503. */
  maxInFlight: number;
  /** NAVIGATOR_TRUST_PROXY: which proxies may name the client (X-Forwarded-For). */
  trustProxy: TrustProxy;
  /** The JS heap limit `npm start` gives Node (NAVIGATOR_MAX_HEAP_MB); read there, checked here. */
  maxHeapMb: number;
}

/**
 * Without a limit V8 lets the old space grow to several GB under a burst (the soak: 695 MB RSS
 * after 30,000 events, native memory flat); with 512 MB it collects sooner and RSS stays flat.
 */
export const defaultMaxHeapMb = 512;

const trustProxyMessage =
  'must be "false", "true", a number of proxies such as 1, or a comma list of addresses or ' +
  'subnets (e.g. "loopback, 10.0.0.0/8")';

/** Read as Express reads `trust proxy`; the list is checked by proxy-addr, Express's own parser. */
export function parseTrustProxy(value: string): TrustProxy | undefined {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const items = trimmed.split(',').map((item) => item.trim());
  try {
    proxyAddr.compile(items);
    return items;
  } catch {
    return undefined;
  }
}

export const serverEnvironment = {
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a port number such as 3978' }).int().min(0).max(65535).optional(),
  ),
  NODE_ENV: optionalString,
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
  NAVIGATOR_MAX_IN_FLIGHT: optionalWholeNumber({
    message: 'must be a whole number of requests such as 1024',
    min: 8,
    minMessage: 'must be at least 8 requests',
    max: 100_000,
  }),
  NAVIGATOR_MAX_HEAP_MB: optionalWholeNumber({
    message: 'must be a whole number of megabytes such as 512',
    min: 128,
    minMessage: 'must be at least 128 (megabytes)',
  }),
};

/**
 * Trust proxy is off by default: request.ip is then the peer's address, which nobody can forge.
 * Behind a load balancer that is the balancer for every user, so the web chat's per-address limit
 * needs it set.
 */
export function serverSettings(values: ValuesOf<typeof serverEnvironment>): ServerSettings {
  return {
    port: values.PORT ?? 3978,
    production: values.NODE_ENV === 'production',
    maxInFlight: values.NAVIGATOR_MAX_IN_FLIGHT ?? defaultMaxInFlight,
    trustProxy: values.NAVIGATOR_TRUST_PROXY ?? false,
    maxHeapMb: values.NAVIGATOR_MAX_HEAP_MB ?? defaultMaxHeapMb,
  };
}
