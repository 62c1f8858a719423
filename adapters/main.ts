import { getHeapStatistics } from 'node:v8';
import {
  createNavigator,
  isNavigatorError,
  loadConfig,
  openNavigatorStore,
  storeOptionsFromConfig,
} from '../src/index.js';
import type { ChannelContext } from './channel.js';
import { DigestSchedule } from './digest-schedule.js';
import { DurableJobs } from './durable-jobs.js';
import { withQuestionLog } from './question-logging.js';
import { loadEnvironmentFile } from '../src/environment-file.js';
import { configuredChannels, longestAnswerMs, startServer } from './server.js';

// `npm start`: one process serving every configured channel.
const levels = ['debug', 'info', 'warn', 'error'] as const;
const purgeEveryMs = 60 * 60 * 1000;

/** The heap limit is a Node flag that `npm start` sets; a process started another way is told so. */
function logHeapLimit(wantedMb: number, log: ChannelContext['log']): void {
  // V8 adds the young generation to the old-space limit it was given.
  const limitMb = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024);
  if (limitMb < wantedMb || limitMb > wantedMb * 1.5)
    log(
      'warn',
      `memory: the JS heap limit is ${limitMb} MB, not NAVIGATOR_MAX_HEAP_MB=${wantedMb}: ` +
        '`npm start` reads it from the environment (a .env is read too late for it); ' +
        'started another way, give node --max-old-space-size yourself',
    );
  else log('info', `memory: JS heap limit ${limitMb} MB (NAVIGATOR_MAX_HEAP_MB=${wantedMb})`);
}

try {
  loadEnvironmentFile();
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
  logHeapLimit(config.server.maxHeapMb, log);
  const store = await openNavigatorStore({ ...storeOptionsFromConfig(config), log });
  log('info', `store: ${store.engine === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'embedded'} ready`);
  const navigator = await createNavigator(config, {
    log: (message) => log('info', message),
    conversations: store.conversations,
  });
  const context: ChannelContext = {
    config,
    navigator: withQuestionLog(navigator, store.questionLog, log),
    store,
    jobs: new DurableJobs(store.jobs, log, { leaseMs: config.store.jobLeaseMs }),
    log,
  };
  const server = await startServer(context, await configuredChannels(context));
  const digests = new DigestSchedule(store.digestSubscriptions, context.jobs, log, {
    everyMs: config.store.digestCheckMs,
  });
  digests.start();
  const purge = setInterval(() => {
    store.purgeExpired().then(
      (counts) => log('debug', 'store: purged expired rows', counts),
      (error: unknown) => log('warn', 'store: the hourly purge failed', error),
    );
  }, purgeEveryMs);
  purge.unref();
  const channels =
    server.channels.length > 0
      ? `, channels: ${server.channels.join(', ')}`
      : ' (no channel configured: see README)';
  log('info', `PSI Navigator listening on port ${config.server.port}: /healthz${channels}`);
  if (server.channels.includes('web'))
    log('info', `Web chat: http://localhost:${config.server.port}/ · curator console: /curate`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: answering 503 to new requests; draining up to ${longestAnswerMs(config)} ms`);
    clearInterval(purge);
    void digests
      .stop()
      .then(() => server.close())
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log('error', 'shutdown did not finish cleanly', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  const message = isNavigatorError(error)
    ? `Error (${error.code}): ${error.message}`
    : String((error as Error).stack ?? error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
