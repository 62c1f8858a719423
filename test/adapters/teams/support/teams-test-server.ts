import { startServer } from '../../../../adapters/server.js';
import type { ChannelContext } from '../../../../adapters/channel.js';
import { createTeamsChannel } from '../../../../adapters/teams/teams-channel.js';
import type { Config, Navigator } from '../../../../src/index.js';

export interface LogLine {
  level: string;
  message: string;
  detail?: unknown;
}

export interface TeamsTestServer {
  url: string;
  logs: LogLine[];
  /** POSTs an activity to /api/messages as the Bot Connector would, optionally with a bearer token. */
  post(activity: object, token?: string): Promise<Response>;
  close(): Promise<void>;
}

/** The real shared server (adapters/server.ts) on a loopback port, with only the Teams channel. */
export async function startTeamsServer(
  config: Config,
  navigator: Navigator,
  options: { streamIntervalMs?: number } = {},
): Promise<TeamsTestServer> {
  const logs: LogLine[] = [];
  const context: ChannelContext = {
    config,
    navigator,
    log: (level, message, detail) => logs.push({ level, message, detail }),
  };
  const channel = createTeamsChannel(context, options);
  if (!channel) throw new Error('createTeamsChannel returned undefined for this configuration');
  const server = await startServer(context, [channel], 0);
  return {
    url: server.url,
    logs,
    post: (activity, token) =>
      fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(activity),
      }),
    close: () => server.close(),
  };
}
