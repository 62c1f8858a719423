import { startServer } from '../../../../adapters/server.js';
import type { ChannelContext } from '../../../../adapters/channel.js';
import { createTeamsChannel } from '../../../../adapters/teams/teams-channel.js';
import type { Config, Navigator, SqlNavigatorStore } from '../../../../src/index.js';
import { openTestContext } from '../../../support/test-host.js';

export interface LogLine {
  level: string;
  message: string;
  detail?: unknown;
}

export interface TeamsTestServer {
  url: string;
  logs: LogLine[];
  /** The server's store (embedded in the config's data dir). */
  store: SqlNavigatorStore;
  /** POSTs an activity to /api/messages as the Bot Connector would, optionally with a bearer token. */
  post(activity: object, token?: string): Promise<Response>;
  close(): Promise<void>;
}

/** The real shared server (adapters/server.ts) on a loopback port, with only the Teams channel. */
export async function startTeamsServer(
  config: Config,
  navigator: Navigator,
  options: { streamIntervalMs?: number; streamHoldMs?: number } = {},
): Promise<TeamsTestServer> {
  const logs: LogLine[] = [];
  const log: ChannelContext['log'] = (level, message, detail) => logs.push({ level, message, detail });
  const { context, store, release } = await openTestContext(config, navigator, log);
  const channel = createTeamsChannel(context, options);
  if (!channel) throw new Error('createTeamsChannel returned undefined for this configuration');
  const server = await startServer(context, [channel], 0);
  return {
    url: server.url,
    logs,
    store,
    post: (activity, token) =>
      fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(activity),
      }),
    close: async () => {
      await server.close();
      await release();
    },
  };
}
