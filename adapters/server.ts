import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from '../src/index.js';
import type { Channel, ChannelContext } from './channel.js';
import { overloadGuard } from './overload-guard.js';

export interface RunningServer {
  url: string;
  channels: string[];
  /**
   * Stops in the order that loses nothing: new requests get 503 (the platform retries them
   * elsewhere), then the answers in progress drain, the rest stay queued, then the port closes.
   */
  close(): Promise<void>;
}

/** Channels the configuration enables; each adapter is loaded only when used. */
export async function configuredChannels(context: ChannelContext): Promise<Channel[]> {
  const channels: Channel[] = [];
  if (context.config.slack) {
    const { createSlackChannel } = await import('./slack/slack-channel.js');
    channels.push(await createSlackChannel(context));
  }
  const { createTeamsChannel } = await import('./teams/teams-channel.js');
  const teams = createTeamsChannel(context);
  if (teams) channels.push(teams);
  // Last: its catch-all for unknown /api paths must come after Teams' /api/messages.
  if (context.store) {
    const { createWebChannel } = await import('./web/web-channel.js');
    channels.push(createWebChannel(context, context.store));
  }
  return channels;
}

/**
 * The longest an answer may take under this configuration: the message reader (at most 4 s), the
 * answer model's timeout for each of its two attempts, and a margin for the channel's sends.
 */
export function longestAnswerMs(config: Config): number {
  const { timeoutMs } = config.openai;
  return Math.min(timeoutMs, 4_000) + 2 * timeoutMs + 10_000;
}

/** Starts the one HTTP server that hosts /healthz, /readyz and every configured channel. */
export async function startServer(
  context: ChannelContext,
  channels: Channel[],
  port = context.config.server.port,
  options: { drainMs?: number } = {},
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', context.config.server.trustProxy);
  let stopping = false;
  app.use((_request, response, next) => {
    if (!stopping) return next();
    response.set('Retry-After', '1').set('Connection', 'close').status(503).json({ status: 'stopping' });
  });
  const health = async (response: express.Response) => {
    const store = await context.store.health();
    response.status(store.ok ? 200 : 503).json({
      status: store.ok ? 'ok' : 'store_unavailable',
      channels: channels.map((channel) => channel.name),
      languageModel: context.navigator.usesLanguageModel,
      store,
    });
  };
  // Liveness and readiness both depend on the store: without it nothing can be accepted safely.
  app.get('/healthz', (_request, response) => void health(response));
  app.get('/readyz', (_request, response) => void health(response));
  // After the probes, so that a busy replica still says it is alive.
  app.use(overloadGuard(context.config.server.maxInFlight));
  for (const channel of channels) channel.mount(app);
  for (const channel of channels) await channel.start?.();
  context.jobs.start();
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, '0.0.0.0', () => resolve(listening));
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    channels: channels.map((channel) => channel.name),
    close: async () => {
      stopping = true;
      for (const channel of channels) await channel.stop?.();
      await context.jobs.stop(options.drainMs ?? longestAnswerMs(context.config));
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
