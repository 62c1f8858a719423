import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply of the fake chat-completions endpoint. */
export type FakeOpenAIBehaviour =
  | { kind: 'answer'; content: string }
  | { kind: 'delay'; ms: number; then: FakeOpenAIBehaviour }
  | { kind: 'status'; status: 500 | 429 | 503; retryAfterSeconds?: number }
  | { kind: 'malformed' }
  /** Sends the headers and the start of the body, then goes silent. */
  | { kind: 'stall-body' }
  /**
   * Streams `content` as server-sent chat.completion.chunk events in `pieces` parts; with `cutAfter`
   * the connection is destroyed after that many parts, with `stallAfter` it goes silent.
   */
  | { kind: 'stream'; content: string; pieces?: number; cutAfter?: number; stallAfter?: number };

/** What the fake saw: when (performance.now()), where, the JSON body and the headers minus authorization. */
export interface RecordedOpenAIRequest {
  receivedAt: number;
  path: string;
  body: any;
  headers: Omit<IncomingHttpHeaders, 'authorization'>;
  hadAuthorization: boolean;
}

/** The answer given when nothing is queued. */
export const defaultCannedContent = JSON.stringify({ answer: 'Default canned answer [1].', cited: [1] });

/** A loopback stand-in for an OpenAI-compatible server, driven by a queue of behaviours. */
export interface FakeOpenAIServer {
  /** Base URL to give the SDK, e.g. http://127.0.0.1:PORT/v1 */
  readonly url: string;
  readonly requests: RecordedOpenAIRequest[];
  enqueue(...behaviours: FakeOpenAIBehaviour[]): void;
  close(): Promise<void>;
}

function completionBody(content: string, model: string): string {
  return JSON.stringify({
    id: `chatcmpl-fake-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });
}

/** The parts a streamed reply is sent in: about equal slices, so escapes and words get cut too. */
export function streamPieces(content: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(content.length / pieces));
  const parts: string[] = [];
  for (let start = 0; start < content.length; start += size) parts.push(content.slice(start, start + size));
  return parts;
}

function streamChunks(
  response: ServerResponse,
  behaviour: Extract<FakeOpenAIBehaviour, { kind: 'stream' }>,
  model: string,
  later: (ms: number, action: () => void) => void,
): void {
  const id = `chatcmpl-fake-${Math.random().toString(36).slice(2)}`;
  const event = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    })}\n\n`;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(event({ role: 'assistant', content: '' }, null));
  const parts = streamPieces(behaviour.content, behaviour.pieces ?? 8);
  // One part per few milliseconds, as a model writes: each reaches the client on its own.
  const send = (index: number): void => {
    if (response.destroyed || index === behaviour.stallAfter) return;
    if (index === behaviour.cutAfter) return void response.destroy();
    if (index === parts.length) return void response.end(`${event({}, 'stop')}data: [DONE]\n\n`);
    response.write(event({ content: parts[index] }, null));
    later(3, () => send(index + 1));
  };
  send(0);
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeOpenAIServer(): Promise<FakeOpenAIServer> {
  const queue: FakeOpenAIBehaviour[] = [];
  const requests: RecordedOpenAIRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const respond = (response: ServerResponse, behaviour: FakeOpenAIBehaviour, model: string): void => {
    // The client may have timed out and hung up meanwhile.
    if (response.destroyed) return;
    switch (behaviour.kind) {
      case 'delay':
        later(behaviour.ms, () => respond(response, behaviour.then, model));
        return;
      case 'answer':
      case 'malformed': {
        const content =
          behaviour.kind === 'answer' ? behaviour.content : 'Sure! Here is the answer: {answer: [1]';
        response.writeHead(200, { 'content-type': 'application/json' }).end(completionBody(content, model));
        return;
      }
      case 'status': {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (behaviour.retryAfterSeconds !== undefined)
          headers['retry-after'] = String(behaviour.retryAfterSeconds);
        const error = {
          message: `Fake failure ${behaviour.status}`,
          type: behaviour.status === 429 ? 'rate_limit_exceeded' : 'server_error',
          code: null,
          param: null,
        };
        response.writeHead(behaviour.status, headers).end(JSON.stringify({ error }));
        return;
      }
      case 'stall-body':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"id":');
        return;
      case 'stream':
        streamChunks(response, behaviour, model, later);
        return;
    }
  };

  const handle = (request: IncomingMessage, response: ServerResponse, rawBody: string): void => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/chat/completions')) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Not found' } }));
      return;
    }
    let body: any;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = rawBody;
    }
    const { authorization, ...headers } = request.headers;
    requests.push({
      receivedAt: performance.now(),
      path,
      body,
      headers,
      hadAuthorization: authorization !== undefined,
    });
    const model = typeof body?.model === 'string' ? body.model : 'fake-model';
    respond(response, queue.shift() ?? { kind: 'answer', content: defaultCannedContent }, model);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...behaviours) => void queue.push(...behaviours),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
