import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Channel, ChannelContext } from './channel.js';

export interface RunningServer {
  url: string;
  channels: string[];
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

/** Starts the one HTTP server that hosts /healthz and every configured channel. */
export async function startServer(
  context: ChannelContext,
  channels: Channel[],
  port = context.config.server.port,
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => {
    response.json({
      status: 'ok',
      channels: channels.map((channel) => channel.name),
      languageModel: context.navigator.usesLanguageModel,
    });
  });
  for (const channel of channels) channel.mount(app);
  for (const channel of channels) await channel.start?.();
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, '0.0.0.0', () => resolve(listening));
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    channels: channels.map((channel) => channel.name),
    close: async () => {
      for (const channel of channels) await channel.stop?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
