import {
  createNavigator,
  isNavigatorError,
  loadConfig,
  openNavigatorStore,
  storeOptionsFromConfig,
} from '../src/index.js';
import type { ChannelContext } from './channel.js';
import { configuredChannels, startServer } from './server.js';

// `npm start`: one process serving every configured channel.
const levels = ['debug', 'info', 'warn', 'error'] as const;

try {
  const config = loadConfig();
  const threshold = config.logLevel === 'silent' ? levels.length : levels.indexOf(config.logLevel);
  const log: ChannelContext['log'] = (level, message, detail) => {
    if (levels.indexOf(level) < threshold) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;
    const shown = detail instanceof Error ? (detail.stack ?? detail.message) : JSON.stringify(detail);
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(
      `${line}${detail === undefined ? '' : ` ${shown}`}\n`,
    );
  };
  const store = await openNavigatorStore({ ...storeOptionsFromConfig(config), log });
  const navigator = await createNavigator(config, {
    log: (message) => log('info', message),
    conversations: store.conversations,
  });
  const context: ChannelContext = { config, navigator, store, log };
  const server = await startServer(context, await configuredChannels(context));
  const channels =
    server.channels.length > 0
      ? `, channels: ${server.channels.join(', ')}`
      : ' (no channel configured: see README)';
  log('info', `PSI Navigator listening on port ${config.server.port}: /healthz${channels}`);
  if (server.channels.includes('web'))
    log('info', `Web chat: http://localhost:${config.server.port}/ · curator console: /curate`);
  const shutdown = () =>
    void server
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
} catch (error) {
  const message = isNavigatorError(error)
    ? `Error (${error.code}): ${error.message}`
    : String((error as Error).stack ?? error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
