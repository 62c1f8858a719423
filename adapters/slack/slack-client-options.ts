import { LogLevel, webApi, type Logger } from '@slack/bolt';
import type { ChannelContext } from '../channel.js';

type RetryOptions = NonNullable<webApi.WebClientOptions['retryConfig']>;

/** Bolt's logger interface on top of the host's log function. */
export function createSlackLogger(log: ChannelContext['log']): Logger {
  let level = LogLevel.DEBUG;
  const write = (target: 'debug' | 'info' | 'warn' | 'error', messages: unknown[]) => {
    const [first, ...rest] = messages;
    log(
      target,
      `slack: ${typeof first === 'string' ? first : String(first)}`,
      rest.length > 0 ? (rest.length === 1 ? rest[0] : rest) : undefined,
    );
  };
  return {
    debug: (...messages) => write('debug', messages),
    info: (...messages) => write('info', messages),
    warn: (...messages) => write('warn', messages),
    error: (...messages) => write('error', messages),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

// Failures that happen before a request leaves this machine: retrying them cannot post twice.
const connectionNeverMade = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (
    let current: unknown = error, depth = 0;
    current && typeof current === 'object' && depth < 5;
    depth += 1
  ) {
    const { code, cause, original } = current as { code?: unknown; cause?: unknown; original?: unknown };
    if (typeof code === 'string') codes.push(code);
    current = original ?? cause;
  }
  return codes;
}

// @slack/web-api 8.2 sleeps for Retry-After, then throws a plain Error with this message, which its
// own catch wraps in a WebAPIRequestError: the same class as a network failure.
const waitedOutRateLimit = /rate limit was exceeded/i;

/**
 * Whether the Web API client may send a failed call again. A 429 (the client has already waited
 * Retry-After) and a connection that was never made are safe. Anything else may have reached Slack
 * and been acted on, and chat.postMessage has no idempotency key: retrying would post twice.
 */
export function isSafeToRetry(error: unknown): boolean {
  const original = (error as { original?: unknown }).original ?? error;
  if (original instanceof Error && waitedOutRateLimit.test(original.message)) return true;
  const codes = errorCodes(error);
  if (codes.includes(webApi.ErrorCode.HTTPError)) return false;
  if (codes.includes(webApi.ErrorCode.RequestError))
    return codes.some((code) => connectionNeverMade.has(code));
  return false;
}

/**
 * The client's retry policy (node-retry options, handed to p-retry, which also honours
 * `onFailedAttempt`: throwing there stops the retries with that error).
 */
export const slackRetryConfig: RetryOptions & { onFailedAttempt(error: Error): void } = {
  retries: 6,
  factor: 2,
  minTimeout: 250,
  maxTimeout: 30_000,
  randomize: true,
  onFailedAttempt(error: Error) {
    if (!isSafeToRetry(error)) throw error;
  },
};

/** Options for every Web API client the adapter makes. */
export function slackClientOptions(context: ChannelContext, logger: Logger): webApi.WebClientOptions {
  return {
    slackApiUrl: context.config.slack?.apiUrl,
    logger,
    retryConfig: slackRetryConfig,
    // Without a timeout a stalled connection would hold an answer forever.
    timeout: 30_000,
  };
}
