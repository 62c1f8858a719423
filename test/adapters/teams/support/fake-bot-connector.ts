import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback stand-in for the Bot Framework connector (Teams' serviceUrl): it records every
// POST /v3/conversations/{id}/activities[/{replyToId}] and answers with an id, or with a scripted error;
// POST /v3/conversations (a new channel post) is recorded under the channel's id.

export interface ConnectorCall {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, any>;
  authorization?: string;
  status: number;
  /** The id the fake gave the activity (what a later feedback invoke's replyToId names). */
  id?: string;
  /** Posted with POST /v3/conversations (a new post in the channel `conversationId`). */
  createdConversation?: boolean;
  at: number;
}

export interface FakeBotConnector {
  /** The serviceUrl to put on incoming activities. */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Calls that succeeded (2xx), i.e. what the user would see. */
  delivered(): ConnectorCall[];
  /** The next message posts (typing indicators excluded) get these responses, in order. */
  failNextMessages(responses: { status: number; headers?: Record<string, string> }[]): void;
  /** Holds every typing activity this long before answering it (0: answer at once). */
  delayTyping(milliseconds: number): void;
  /** What GET /v3/conversations/{teamId}/members/{userId} answers for `userId` (404 when unset). */
  setMember(userId: string, member: Record<string, unknown>): void;
  /** Resolves once `predicate` holds for the delivered calls; rejects after `timeoutMs`. */
  waitFor(predicate: (delivered: ConnectorCall[]) => boolean, timeoutMs?: number): Promise<ConnectorCall[]>;
  close(): Promise<void>;
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const scripted: { status: number; headers?: Record<string, string> }[] = [];
  const members = new Map<string, Record<string, unknown>>();
  let nextId = 1;
  let typingDelayMs = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v3/conversations') {
        const parameters = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        const channel = String(parameters.channelData?.channel?.id ?? '');
        const id = `bot-message-${nextId++}`;
        calls.push({
          conversationId: channel,
          activity: parameters.activity ?? {},
          authorization: request.headers.authorization,
          status: 201,
          id,
          createdConversation: true,
          at: Date.now(),
        });
        response
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: `${channel};messageid=${id}`, activityId: id }));
        return;
      }
      const memberPath = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)$/.exec(request.url ?? '');
      if (request.method === 'GET' && memberPath) {
        const member = members.get(decodeURIComponent(memberPath[1]!));
        if (!member) response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
        else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(member));
        return;
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?$/.exec(request.url ?? '');
      if (request.method !== 'POST' || !match) {
        response.writeHead(404).end();
        return;
      }
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (activity.type === 'typing' && typingDelayMs > 0) {
        setTimeout(() => answer(activity, match), typingDelayMs);
        return;
      }
      answer(activity, match);
    });
    const answer = (activity: Record<string, any>, match: RegExpExecArray) => {
      if (response.destroyed) return; // the bot went away meanwhile (killed): nothing was delivered
      const failure = activity.type !== 'typing' ? scripted.shift() : undefined;
      const status = failure?.status ?? 201;
      const id = failure ? undefined : `bot-message-${nextId++}`;
      calls.push({
        conversationId: decodeURIComponent(match[1]!),
        replyToId: match[2] ? decodeURIComponent(match[2]) : undefined,
        activity,
        authorization: request.headers.authorization,
        status,
        id,
        at: Date.now(),
      });
      if (failure) {
        response
          .writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers })
          .end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Scripted failure' } }));
        return;
      }
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const delivered = () => calls.filter((call) => call.status >= 200 && call.status < 300);
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    delivered,
    failNextMessages: (responses) => scripted.push(...responses),
    delayTyping: (milliseconds) => {
      typingDelayMs = milliseconds;
    },
    setMember: (userId, member) => members.set(userId, member),
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(delivered())) {
        if (Date.now() > deadline) {
          const kinds = delivered().map(
            (call) =>
              call.activity.type +
              ':' +
              (call.activity.text ?? call.activity.attachments?.[0]?.contentType ?? ''),
          );
          throw new Error(
            `Fake connector: condition not met within ${timeoutMs} ms; delivered: ${JSON.stringify(kinds)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return delivered();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a typing activity may still be held
      }),
  };
}
