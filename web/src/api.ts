import type { ApiError, SessionBody } from '../../adapters/web/api-schemas.js';

// The browser side of the JSON API: the session's CSRF token on every POST, errors as ApiFailure.

let csrfToken = '';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(body?.error.message ?? `The server answered ${status}.`);
  }
}

async function send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers:
      method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': csrfToken } : undefined,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiFailure(response.status, data as ApiError | undefined);
  return data as T;
}

export const getJson = <T>(path: string) => send<T>('GET', path);
export const postJson = <T>(path: string, body: unknown = {}) => send<T>('POST', path, body);

/** Opens (or resumes) the session and keeps its CSRF token. */
export async function openSession(): Promise<SessionBody> {
  return useSession(await getJson<SessionBody>('/api/session'));
}

export function useSession(session: SessionBody): SessionBody {
  csrfToken = session.csrfToken;
  return session;
}

/** POSTs and reads a server-sent event stream, calling `onEvent` for each event as it arrives. */
export async function postEventStream(
  path: string,
  body: unknown,
  onEvent: (event: string, data: unknown) => void,
): Promise<void> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  if (!response.ok || !response.body) {
    const data: unknown = await response.json().catch(() => undefined);
    throw new ApiFailure(response.status, data as ApiError | undefined);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (data !== undefined) onEvent(event, JSON.parse(data));
    }
  }
}
