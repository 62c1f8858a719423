// Teams answers 429 when a bot posts too fast and asks bots to back off exponentially with jitter,
// retrying 412 as well. botbuilder's HTTP pipeline retries 5xx, and 429 only when it carries a
// Retry-After header; Teams does not always send one, so those retries happen here.

const retryableStatuses = new Set([412, 429]);

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (milliseconds: number) => Promise<void>;
}

function statusOf(error: unknown): number | undefined {
  const candidate = error as { statusCode?: unknown; response?: { status?: unknown } } | null;
  const status = candidate?.statusCode ?? candidate?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Runs `send`, retrying after 1 s, 2 s, 4 s (plus jitter) while the connector answers 429 or 412. */
export async function withConnectorRetry<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const sleep =
    options.sleep ??
    ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const status = statusOf(error);
      if (attempt >= attempts || status === undefined || !retryableStatuses.has(status)) throw error;
      await sleep(baseDelayMs * 2 ** (attempt - 1) + Math.floor(Math.random() * 250));
    }
  }
}
