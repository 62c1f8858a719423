import { createNavigator, isNavigatorError, loadConfig } from '../src/index.js';
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
  const navigator = await createNavigator(config, { log: (message) => log('info', message) });
  const context: ChannelContext = { config, navigator, log };
  const server = await startServer(context, await configuredChannels(context));
  const channels =
    server.channels.length > 0
      ? `, channels: ${server.channels.join(', ')}`
      : ' (no channel configured: see README)';
  log('info', `PSI Navigator listening on port ${config.server.port}: /healthz${channels}`);
  const shutdown = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
} catch (error) {
  const message = isNavigatorError(error)
    ? `Error (${error.code}): ${error.message}`
    : String((error as Error).stack ?? error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
