import type { Config } from '../config.js';
import {
  SqlChannelSettings,
  SqlDigestSubscriptions,
  SqlEngagedThreads,
  SqlRateLimits,
} from './channel-state.js';
import { SqlConversationStore } from './conversations.js';
import { SqlDeliveryKeys } from './delivery-keys.js';
import { EmbeddedEngine } from './embedded-engine.js';
import { SqlHandOffs } from './hand-offs.js';
import { SqlJobQueue, type JobQueueOptions } from './jobs.js';
import { applyMigrations } from './migrations.js';
import type { NavigatorStore, PurgeCounts, StoreHealth } from './navigator-store.js';
import { maskDatabaseUrl, PostgresEngine } from './postgres-engine.js';
import { SqlQuestionLog } from './question-log.js';
import { importReviewQueueFiles, SqlCaseSubmissionStore, SqlFeedbackStore } from './review-queue.js';
import { SqlSharedAnswerStore } from './shared-answers.js';
import type { SqlEngine } from './sql-engine.js';
import { SqlTeamsMemory } from './teams-memory.js';
import { createUserHasher, resolveHashSalt } from './user-hash.js';
import { SqlWebChatTurns, SqlWebSessions } from './web-sessions.js';

export type StoreLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  detail?: unknown,
) => void;

export interface OpenStoreOptions {
  /** NAVIGATOR_DATA_DIR: the embedded database lives here, and old JSONL queues are read from here. */
  dataDir: string;
  /** DATABASE_URL: PostgreSQL when set, else the embedded engine. */
  databaseUrl?: string;
  /** Question log retention. Default 90 days. */
  questionLogDays?: number;
  /** NAVIGATOR_HASH_SALT; absent: generated once and kept in the store. */
  hashSalt?: string;
  /** The clock (tests move it). Replicas are assumed to keep their clocks in sync (NTP). */
  now?: () => Date;
  log?: StoreLog;
  /** PostgreSQL connections per replica. Default 10. */
  poolSize?: number;
  /** PostgreSQL checkouts tried before store_unavailable. Default 4. */
  connectAttempts?: number;
  /** Conversation idle expiry. Default 2 h, as in memory. */
  conversationIdleMs?: number;
  jobs?: JobQueueOptions;
  /** How long done and dead jobs are kept for inspection. Default 7 days. */
  finishedJobsKeptMs?: number;
  /** Import the JSONL review queue of earlier versions from the data dir. Default true. */
  importJsonlQueues?: boolean;
}

/** The store settings from the validated configuration. */
export function storeOptionsFromConfig(config: Config): OpenStoreOptions {
  return {
    dataDir: config.dataDir,
    databaseUrl: config.store.databaseUrl,
    questionLogDays: config.store.questionLogDays,
    hashSalt: config.store.hashSalt,
  };
}

const dayMs = 24 * 60 * 60 * 1000;

/** The NavigatorStore on a SQL engine; `engine` is exposed for tests and benchmarks. */
export class SqlNavigatorStore implements NavigatorStore {
  readonly conversations: SqlConversationStore;
  readonly deliveryKeys: SqlDeliveryKeys;
  readonly jobs: SqlJobQueue;
  readonly teams: SqlTeamsMemory;
  readonly sharedAnswers: SqlSharedAnswerStore;
  readonly feedback: SqlFeedbackStore;
  readonly caseSubmissions: SqlCaseSubmissionStore;
  readonly questionLog: SqlQuestionLog;
  readonly engagedThreads: SqlEngagedThreads;
  readonly channelSettings: SqlChannelSettings;
  readonly rateLimits: SqlRateLimits;
  readonly handOffs: SqlHandOffs;
  readonly digestSubscriptions: SqlDigestSubscriptions;
  readonly webSessions: SqlWebSessions;
  readonly webChatTurns: SqlWebChatTurns;

  constructor(
    readonly sql: SqlEngine,
    private readonly options: OpenStoreOptions & { hashSalt: string },
    private readonly describe: string,
  ) {
    const now = options.now ?? (() => new Date());
    const hashUser = createUserHasher(options.hashSalt);
    this.conversations = new SqlConversationStore(sql, now, options.conversationIdleMs);
    this.deliveryKeys = new SqlDeliveryKeys(sql, now);
    this.jobs = new SqlJobQueue(sql, now, options.jobs);
    this.teams = new SqlTeamsMemory(sql, now);
    this.sharedAnswers = new SqlSharedAnswerStore(sql, now);
    this.feedback = new SqlFeedbackStore(sql, now, hashUser);
    this.caseSubmissions = new SqlCaseSubmissionStore(sql, now);
    this.questionLog = new SqlQuestionLog(sql, now, hashUser, options.questionLogDays ?? 90);
    this.engagedThreads = new SqlEngagedThreads(sql, now);
    this.channelSettings = new SqlChannelSettings(sql, now);
    this.rateLimits = new SqlRateLimits(sql, now);
    this.handOffs = new SqlHandOffs(sql, now);
    this.digestSubscriptions = new SqlDigestSubscriptions(sql, now);
    this.webSessions = new SqlWebSessions(sql, now);
    this.webChatTurns = new SqlWebChatTurns(sql, now);
  }

  get engine() {
    return this.sql.name;
  }

  async health(): Promise<StoreHealth> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.sql.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the database did not answer within 2 s')), 2_000);
        }),
      ]);
      return { ok: true, engine: this.engine };
    } catch (error) {
      return {
        ok: false,
        engine: this.engine,
        error: `${this.describe}: ${error instanceof Error ? error.message : String(error)}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async purgeExpired(): Promise<PurgeCounts> {
    const now = (this.options.now ?? (() => new Date()))();
    const retention = new Date(now.getTime() - (this.options.questionLogDays ?? 90) * dayMs);
    return {
      conversations: await this.conversations.purgeExpired(),
      deliveryKeys: await this.deliveryKeys.purgeExpired(),
      sharedAnswers: await this.sharedAnswers.purgeExpired(),
      finishedJobs: await this.jobs.purgeFinished(
        new Date(now.getTime() - (this.options.finishedJobsKeptMs ?? 7 * dayMs)),
      ),
      questionLog: await this.questionLog.purge(),
      teamsSentAnswers: await this.teams.purgeSentAnswers(retention),
      rateLimitWindows: await this.rateLimits.purgeExpired(),
      webSessions: await this.webSessions.purgeExpired(),
      webChatTurns: await this.webChatTurns.purgeBefore(retention),
    };
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

/**
 * Opens the store: PostgreSQL when `databaseUrl` is set, else PGlite in the data dir; applies the
 * migrations (safe with several replicas starting at once) and settles the hashing salt. Throws
 * store_unavailable (naming DATABASE_URL) when the database cannot be reached, store_locked when
 * another process holds the embedded store, store_migration_failed when the schema cannot be applied.
 */
export async function openNavigatorStore(options: OpenStoreOptions): Promise<SqlNavigatorStore> {
  const log = options.log ?? (() => {});
  const engine: SqlEngine = options.databaseUrl
    ? await PostgresEngine.open({
        databaseUrl: options.databaseUrl,
        poolSize: options.poolSize,
        connectAttempts: options.connectAttempts,
        onConnectionError: (error) =>
          log('warn', 'store: a PostgreSQL connection broke; the pool opens a new one when needed', error),
      })
    : await EmbeddedEngine.open({ dataDir: options.dataDir });
  const describe = options.databaseUrl
    ? `PostgreSQL at DATABASE_URL (${maskDatabaseUrl(options.databaseUrl)})`
    : `the embedded store in ${options.dataDir}`;
  try {
    const applied = await applyMigrations(engine);
    if (applied.length > 0) log('info', `store: applied migrations ${applied.join(', ')} to ${describe}`);
    const now = options.now ?? (() => new Date());
    const hashSalt = await resolveHashSalt(engine, options.hashSalt, now());
    const store = new SqlNavigatorStore(engine, { ...options, hashSalt }, describe);
    if (options.importJsonlQueues ?? true) {
      const imported = await importReviewQueueFiles(
        options.dataDir,
        store.feedback,
        store.caseSubmissions,
        now(),
      );
      if (imported.feedback + imported.caseSubmissions > 0)
        log(
          'info',
          `store: imported ${imported.feedback} feedback and ${imported.caseSubmissions} case ` +
            'submission(s) from the JSONL review queue (files kept)',
        );
      if (imported.skipped > 0)
        log('warn', `store: skipped ${imported.skipped} unreadable JSONL review-queue line(s)`);
    }
    return store;
  } catch (error) {
    await engine.close().catch(() => {});
    throw error;
  }
}
