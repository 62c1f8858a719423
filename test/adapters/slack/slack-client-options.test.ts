import { describe, expect, it } from 'vitest';
import { isSafeToRetry } from '../../../adapters/slack/slack-client-options.js';

// Shaped like @slack/web-api 8.2's errors: WebAPIRequestError wraps both network failures and a
// waited-out 429.
const requestError = (original: Error) =>
  Object.assign(new Error(`A request error occurred: ${original.message}`), {
    code: 'slack_webapi_request_error',
    original,
  });
const fetchFailure = (code: string) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

describe('which failed Web API calls are sent again', () => {
  it('retries a 429 the client has waited out and a connection that was never made', () => {
    expect(
      isSafeToRetry(
        requestError(
          new Error('A rate limit was exceeded (url: http://x/api/chat.postMessage, retry-after: 1)'),
        ),
      ),
    ).toBe(true);
    expect(isSafeToRetry(requestError(fetchFailure('ECONNREFUSED')))).toBe(true);
    expect(isSafeToRetry(requestError(fetchFailure('ENOTFOUND')))).toBe(true);
  });

  it('does not retry what Slack may already have acted on: resets, timeouts, 5xx', () => {
    expect(isSafeToRetry(requestError(fetchFailure('ECONNRESET')))).toBe(false);
    expect(
      isSafeToRetry(
        requestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      ),
    ).toBe(false);
    expect(
      isSafeToRetry(
        Object.assign(new Error('An HTTP protocol error occurred: statusCode = 503'), {
          code: 'slack_webapi_http_error',
          statusCode: 503,
        }),
      ),
    ).toBe(false);
  });
});
