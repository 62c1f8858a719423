import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake saw it: the method and its arguments, JSON fields decoded. */
export interface FakeSlackCall {
  method: string;
  args: Record<string, any>;
  hadToken: boolean;
  /** The Authorization header as sent (Socket Mode's apps.connections.open uses the xapp- token). */
  authorization?: string;
  /** What the fake answered: success, a 429, or `{ok: false}`. */
  outcome: 'ok' | 'rate_limited' | 'error';
}

/** One POST to a response_url. */
export interface FakeResponseUrlPost {
  id: string;
  body: any;
}

/** A message in a thread as conversations.replies returns it. */
export interface FakeThreadMessage {
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
}

type Failure = { kind: 'rate_limited'; retryAfterSeconds: number } | { kind: 'error'; error: string };

/** A loopback stand-in for Slack's Web API and response_urls that records what the adapter sends. */
export interface FakeSlackApi {
  /** For SLACK_API_URL. */
  readonly apiUrl: string;
  readonly calls: FakeSlackCall[];
  readonly responseUrlPosts: FakeResponseUrlPost[];
  callsTo(method: string): FakeSlackCall[];
  /** Calls to `method` that Slack would have carried out. */
  delivered(method: string): FakeSlackCall[];
  /** The next call(s) to `method` fail like Slack would: a 429 with Retry-After, or `{ok: false, error}`. */
  failNext(method: string, ...failures: Failure[]): void;
  /** Every call to `method` is answered after `milliseconds` (a slow Slack, an answer in flight). */
  delay(method: string, milliseconds: number): void;
  /**
   * Every call to `method` answers `{ok: false, error, ...detail}` (e.g. streaming not offered, or
   * `missing_scope` with `needed`).
   */
  refuse(method: string, error: string, detail?: Record<string, string>): void;
  /**
   * Messages already in a thread, for conversations.replies (oldest first, the opening message
   * included); the adapter's own replies in it are added as it posts them.
   */
  seedThread(channel: string, messages: FakeThreadMessage[]): void;
  /** Every call to `method` gets what `answer` returns for its arguments (e.g. users.info of a person). */
  answerWith(method: string, answer: (args: Record<string, any>) => Record<string, unknown>): void;
  responseUrl(id: string): string;
  /** The next `times` posts to the response_url `id` get a 500, as a Slack outage would. */
  failResponseUrl(id: string, times: number): void;
  /** apps.connections.open (app-level token) answers `{ok: true, url: next()}`: a Socket Mode endpoint. */
  openSocketModeWith(next: () => string): void;
  /** Polls until `check` returns something truthy; fails with what was recorded so far. */
  waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMillis?: number): Promise<T>;
  close(): Promise<void>;
}

function decode(body: string, contentType: string | undefined): Record<string, any> {
  if (!body) return {};
  if (contentType?.includes('application/json')) return JSON.parse(body) as Record<string, any>;
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    // The Web API client sends nested values (blocks, view, chunks…) as JSON strings.
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: FakeSlackCall[] = [];
  const responseUrlPosts: FakeResponseUrlPost[] = [];
  const responseUrlFailures = new Map<string, number>();
  const failures = new Map<string, Failure[]>();
  const refusals = new Map<string, { error: string; detail?: Record<string, string> }>();
  // `${channel}:${thread ts}` → its messages, oldest first.
  const threads = new Map<string, FakeThreadMessage[]>();
  const threadReplies = (args: Record<string, any>) => {
    const messages = threads.get(`${args.channel}:${args.ts}`) ?? [];
    const latest = args.latest === undefined ? Infinity : Number(args.latest);
    const inclusive = args.inclusive === true || args.inclusive === 'true';
    const inRange = messages.filter((message) =>
      inclusive ? Number(message.ts) <= latest : Number(message.ts) < latest,
    );
    return { ok: true, messages: inRange.slice(0, Number(args.limit ?? 1000)), has_more: false };
  };
  const delays = new Map<string, number>();
  let socketModeUrl: (() => string) | undefined;
  const answers = new Map<string, (args: Record<string, any>) => Record<string, unknown>>();
  let clock = 1_700_000_000;
  const nextTs = () => `${(clock += 1)}.000100`;

  const result = (method: string, args: Record<string, any>): Record<string, unknown> => {
    const scripted = answers.get(method);
    if (scripted) return { ok: true, ...scripted(args) };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://psi.example/',
          team: 'PSI',
          user: 'navigator',
          team_id: 'T0PSI',
          user_id: 'U0NAVIGATOR',
          bot_id: 'B0NAVIGATOR',
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        const thread = args.thread_ts ? threads.get(`${args.channel}:${args.thread_ts}`) : undefined;
        thread?.push({ ts, text: String(args.text ?? ''), user: 'U0NAVIGATOR', bot_id: 'B0NAVIGATOR' });
        return { ok: true, channel: args.channel, ts, message: { text: args.text } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.startStream':
        return { ok: true, channel: args.channel, ts: nextTs() };
      case 'views.open':
        return { ok: true, view: { id: `V${calls.length}` } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D0${String(args.users ?? 'X').slice(2)}` } };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://psi.example/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`,
        };
      case 'conversations.replies':
        return threadReplies(args);
      case 'apps.connections.open':
        return socketModeUrl
          ? { ok: true, url: socketModeUrl() }
          : { ok: false, error: 'not_allowed_token_type' };
      default:
        return { ok: true };
    }
  };

  const handle = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(value));
    };
    if (path.startsWith('/response/')) {
      const id = path.slice('/response/'.length);
      const failing = responseUrlFailures.get(id) ?? 0;
      if (failing > 0) {
        responseUrlFailures.set(id, failing - 1);
        json(500, { ok: false, error: 'internal_error' });
        return;
      }
      responseUrlPosts.push({ id, body: decode(body, 'application/json') });
      json(200, { ok: true });
      return;
    }
    if (!path.startsWith('/api/')) {
      json(404, { ok: false, error: 'not_found' });
      return;
    }
    const method = path.slice('/api/'.length);
    const args = decode(body, request.headers['content-type']);
    const hadToken =
      /^Bearer xoxb-/.test(request.headers.authorization ?? '') ||
      String(args.token ?? '').startsWith('xoxb-');
    const failure = failures.get(method)?.shift();
    const refusal = refusals.get(method);
    calls.push({
      method,
      args,
      hadToken,
      authorization: request.headers.authorization,
      outcome: failure?.kind === 'rate_limited' ? 'rate_limited' : failure || refusal ? 'error' : 'ok',
    });
    if (failure?.kind === 'rate_limited')
      json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterSeconds) });
    else if (failure?.kind === 'error') json(200, { ok: false, error: failure.error });
    else if (refusal) json(200, { ok: false, error: refusal.error, ...refusal.detail });
    else json(200, result(method, args));
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = new URL(request.url ?? '/', 'http://fake').pathname.slice('/api/'.length);
      const body = Buffer.concat(chunks).toString('utf8');
      setTimeout(() => handle(request, response, body), delays.get(method) ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    calls,
    responseUrlPosts,
    callsTo: (method) => calls.filter((call) => call.method === method),
    delivered: (method) => calls.filter((call) => call.method === method && call.outcome === 'ok'),
    failNext: (method, ...next) => failures.set(method, [...(failures.get(method) ?? []), ...next]),
    refuse: (method, error, detail) => refusals.set(method, { error, detail }),
    seedThread: (channel, messages) => {
      const [opening] = messages;
      if (opening) threads.set(`${channel}:${opening.ts}`, [...messages]);
    },
    answerWith: (method, answer) => answers.set(method, answer),
    delay: (method, milliseconds) => delays.set(method, milliseconds),
    responseUrl: (id) => `${base}/response/${id}`,
    failResponseUrl: (id, times) => void responseUrlFailures.set(id, times),
    openSocketModeWith: (next) => {
      socketModeUrl = next;
    },
    async waitFor(what, check, timeoutMillis = 20_000) {
      const deadline = Date.now() + timeoutMillis;
      for (;;) {
        const value = check();
        if (value) return value;
        if (Date.now() > deadline)
          throw new Error(
            `Timed out waiting for ${what}; ` +
              `the fake saw: ${calls.map((call) => call.method).join(', ') || 'no call'}; ` +
              `${responseUrlPosts.length} response_url post(s)`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
