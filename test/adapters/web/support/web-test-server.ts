import { rmSync } from 'node:fs';
import { createWebChannel } from '../../../../adapters/web/web-channel.js';
import { startServer, type RunningServer } from '../../../../adapters/server.js';
import type { ChannelContext } from '../../../../adapters/channel.js';
import {
  createNavigator,
  loadConfig,
  openNavigatorStore,
  type Config,
  type Navigator,
  type SqlNavigatorStore,
} from '../../../../src/index.js';
import { copyFixtureKnowledge } from '../../../support/knowledge-copy.js';
import { dataDirWithSharedEmbeddings } from '../../../support/shared-embeddings.js';
import { DurableJobs } from '../../../../adapters/durable-jobs.js';

export interface WebTestServer {
  url: string;
  config: Config;
  store: SqlNavigatorStore;
  navigator: Navigator;
  knowledgeDir: string;
  logged: { level: string; message: string }[];
  close(): Promise<void>;
}

/**
 * The real shared server with the web channel on a free loopback port: the embedded store in a
 * fresh data dir, the offline Navigator on a copy of the fixture knowledge base (which tests may
 * write to), and the given extra environment.
 */
export async function startWebTestServer(
  environment: Record<string, string> = {},
  options: { navigator?: (navigator: Navigator) => Navigator; port?: number } = {},
): Promise<WebTestServer> {
  const knowledgeDir = copyFixtureKnowledge();
  const dataDir = dataDirWithSharedEmbeddings();
  const config = loadConfig({
    KNOWLEDGE_DIR: knowledgeDir,
    NAVIGATOR_DATA_DIR: dataDir,
    NAVIGATOR_LOG_LEVEL: 'warn',
    ...environment,
  });
  const store = await openNavigatorStore({ dataDir, importJsonlQueues: false });
  const real = await createNavigator(config, { answerModel: null, conversations: store.conversations });
  const navigator = options.navigator ? options.navigator(real) : real;
  const logged: { level: string; message: string }[] = [];
  const log: ChannelContext['log'] = (level, message) => void logged.push({ level, message });
  const context: ChannelContext = { config, navigator, store, jobs: new DurableJobs(store.jobs, log), log };
  const server: RunningServer = await startServer(
    context,
    [createWebChannel(context, store)],
    options.port ?? 0,
  );
  return {
    url: server.url,
    config,
    store,
    navigator,
    knowledgeDir,
    logged,
    close: async () => {
      await server.close();
      await store.close();
      rmSync(knowledgeDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client over fetch: keeps the session cookie and sends the CSRF token on POSTs. */
export class WebClient {
  private cookie = '';
  csrfToken = '';

  constructor(readonly baseUrl: string) {}

  async request(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('navigator_session='));
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return response;
  }

  /** GET /api/session, keeping its CSRF token. */
  async open(): Promise<any> {
    const session = await (await this.request('GET', '/api/session')).json();
    this.csrfToken = session.csrfToken;
    return session;
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', path, body, headers);
}

/** A port that was free a moment ago (for servers whose URL must be known before they start). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
