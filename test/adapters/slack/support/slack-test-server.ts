import { join } from 'node:path';
import { createSlackChannel } from '../../../../adapters/slack/slack-channel.js';
import { startServer, type RunningServer } from '../../../../adapters/server.js';
import type { ChannelContext } from '../../../../adapters/channel.js';
import {
  createNavigator,
  loadConfig,
  type Answer,
  type Navigator,
  type Question,
  type SqlNavigatorStore,
} from '../../../../src/index.js';
import { projectRoot } from '../../../../src/paths.js';
import { dataDirWithSharedEmbeddings } from '../../../support/shared-embeddings.js';
import { openTestContext } from '../../../support/test-host.js';
import type { FakeSlackApi } from './fake-slack-api.js';
import { postToSlack, signatureHeaders, testSigningSecret, type SlackHttpResult } from './slack-requests.js';

/** A data dir that shares the converted word vectors. */
export const preparedDataDir = dataDirWithSharedEmbeddings;

export function navigatorConfig(dataDir: string, apiUrl?: string, environment: Record<string, string> = {}) {
  return loadConfig({
    ...environment,
    KNOWLEDGE_DIR: join(projectRoot(), 'knowledge'),
    NAVIGATOR_DATA_DIR: dataDir,
    SLACK_SIGNING_SECRET: testSigningSecret,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: apiUrl,
  });
}

/** The real offline Navigator on the shipped knowledge base. */
export async function realNavigator(dataDir: string): Promise<Navigator> {
  return createNavigator(navigatorConfig(dataDir), { answerModel: null });
}

/** The same Navigator with its answers changed or delayed: how tests stand in for a slow or verbose model. */
export function wrapNavigator(
  inner: Navigator,
  change: (answer: Answer, question: Question) => Answer | Promise<Answer>,
  delayMillis = 0,
): Navigator {
  return {
    usesLanguageModel: inner.usesLanguageModel,
    async ask(question) {
      if (delayMillis > 0) await new Promise((resolve) => setTimeout(resolve, delayMillis));
      return change(await inner.ask(question), question);
    },
  };
}

export interface LogEntry {
  level: string;
  message: string;
  detail?: unknown;
}

export interface SlackTestServer {
  server: RunningServer;
  endpoint: string;
  logs: LogEntry[];
  dataDir: string;
  /** The server's store (embedded in the data dir unless `databaseUrl` was given). */
  store: SqlNavigatorStore;
  /** POSTs a correctly signed request. */
  send(
    body: string,
    contentType?: 'application/json' | 'application/x-www-form-urlencoded',
    extraHeaders?: Record<string, string>,
  ): Promise<SlackHttpResult>;
  /** Stops the server; the channel first finishes the answers it is working on. */
  close(): Promise<void>;
}

/** The real shared server with the Slack channel, its Web API pointed at the loopback fake. */
export async function startSlackTestServer(
  navigator: Navigator,
  fake: FakeSlackApi,
  dataDir: string,
  options: { databaseUrl?: string; environment?: Record<string, string> } = {},
): Promise<SlackTestServer> {
  const logs: LogEntry[] = [];
  const log: ChannelContext['log'] = (level, message, detail) => logs.push({ level, message, detail });
  const { context, store, release } = await openTestContext(
    navigatorConfig(dataDir, fake.apiUrl, options.environment),
    navigator,
    log,
    options,
  );
  const channel = await createSlackChannel(context);
  const server = await startServer(context, [channel], 0);
  const endpoint = `${server.url}/slack/events`;
  let closed = false;
  return {
    server,
    endpoint,
    logs,
    dataDir,
    store,
    send: (body, contentType = 'application/json', extraHeaders = {}) =>
      postToSlack(endpoint, body, contentType, { ...signatureHeaders(body), ...extraHeaders }),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      await release();
    },
  };
}
