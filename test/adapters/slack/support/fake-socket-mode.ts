import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

// A loopback stand-in for Slack's Socket Mode endpoint (the wss:// URL apps.connections.open
// returns), speaking its protocol: `hello` once a connection is open, envelopes the app must
// acknowledge with `{envelope_id, payload?}`, and `disconnect` when Slack wants a new connection.
// Each URL carries a ticket, as Slack's do, so the test can tell one connection from the next.

/** One acknowledgement as the app sent it. */
export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SocketModeConnection {
  ticket: string;
  readonly acks: SocketModeAck[];
  /** Sends an Events API envelope with `body` (an event_callback); returns its envelope_id. */
  sendEventsApi(body: Record<string, unknown>, retry?: { attempt: number; reason: string }): string;
  /** Asks the app to reconnect, as Slack does before it recycles the connection. */
  sendDisconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Resolves once the app has closed this connection. */
  readonly closed: Promise<void>;
}

export interface FakeSocketMode {
  /** A fresh URL (a new ticket) for each apps.connections.open. */
  nextUrl(): string;
  readonly connections: SocketModeConnection[];
  /** Resolves with the `count`th connection (1-based) once it is open and has been sent `hello`. */
  connection(count: number, timeoutMs?: number): Promise<SocketModeConnection>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocket.Server({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const connections: SocketModeConnection[] = [];
  let tickets = 0;

  server.on('connection', (socket: WebSocket, request) => {
    const ticket = new URL(request.url ?? '/', 'ws://fake').searchParams.get('ticket') ?? 'none';
    const acks: SocketModeAck[] = [];
    const send = (message: Record<string, unknown>) => socket.send(JSON.stringify(message));
    socket.on('message', (data: string) => {
      const message = JSON.parse(data) as SocketModeAck;
      if (typeof message.envelope_id === 'string') acks.push(message);
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    connections.push({
      ticket,
      acks,
      closed,
      sendEventsApi(body, retry) {
        const envelopeId = randomUUID();
        send({
          envelope_id: envelopeId,
          payload: body,
          type: 'events_api',
          accepts_response_payload: false,
          retry_attempt: retry?.attempt ?? 0,
          retry_reason: retry?.reason ?? '',
        });
        return envelopeId;
      },
      sendDisconnect(reason) {
        send({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
      },
    });
    send({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 },
      connection_info: { app_id: 'A0NAVIGATOR' },
    });
  });

  return {
    nextUrl: () => `ws://127.0.0.1:${port}/link/?ticket=${(tickets += 1)}`,
    connections,
    async connection(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (connections.length < count) {
        if (Date.now() > deadline)
          throw new Error(`Socket Mode: ${connections.length} connection(s), waited for ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return connections[count - 1]!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
