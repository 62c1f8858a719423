import type {
  ChannelSettingsStore,
  DigestSubscriptions,
  EngagedThreads,
  RateLimits,
} from './channel-state.js';
import type { SharedConversationStore } from './conversations.js';
import type { DeliveryKeys } from './delivery-keys.js';
import type { HandOffs } from './hand-offs.js';
import type { JobQueue } from './jobs.js';
import type { QuestionLog } from './question-log.js';
import type { CaseSubmissionStore, FeedbackStore } from './review-queue.js';
import type { SharedAnswerStore } from './shared-answers.js';
import type { StoreEngineName } from './sql-engine.js';
import type { TeamsMemory } from './teams-memory.js';
import type { WebChatTurns, WebSessions } from './web-sessions.js';

/** What /healthz reports of the store. */
export interface StoreHealth {
  ok: boolean;
  engine: StoreEngineName;
  /** Why the store is not answering (no secrets: the database URL's password is masked). */
  error?: string;
}

/** How many rows each purge removed. */
export interface PurgeCounts {
  conversations: number;
  deliveryKeys: number;
  sharedAnswers: number;
  finishedJobs: number;
  questionLog: number;
  teamsSentAnswers: number;
  rateLimitWindows: number;
  webSessions: number;
  webChatTurns: number;
}

/**
 * The port for all state the Navigator shares between replicas and keeps across restarts. One
 * focused part per concern; every part runs on the same database (PostgreSQL or embedded PGlite).
 */
export interface NavigatorStore {
  readonly engine: StoreEngineName;
  /** The assistant's conversation memory (follow-ups), with idle expiry. */
  readonly conversations: SharedConversationStore;
  /** Incoming delivery de-duplication (event id, channel+ts). */
  readonly deliveryKeys: DeliveryKeys;
  /** Durable answers: jobs stored before the acknowledgement, worked by any replica. */
  readonly jobs: JobQueue;
  /** Teams conversation references and what each sent message answered. */
  readonly teams: TeamsMemory;
  /** Slack's "Share in channel" answers. */
  readonly sharedAnswers: SharedAnswerStore;
  readonly feedback: FeedbackStore;
  readonly caseSubmissions: CaseSubmissionStore;
  /** The curators' question log and gap report. */
  readonly questionLog: QuestionLog;
  readonly engagedThreads: EngagedThreads;
  readonly channelSettings: ChannelSettingsStore;
  readonly rateLimits: RateLimits;
  /** Questions handed to a person, and the web chat's curator replies. */
  readonly handOffs: HandOffs;
  readonly digestSubscriptions: DigestSubscriptions;
  /** Browser sessions of the web chat and the curator console. */
  readonly webSessions: WebSessions;
  /** Web chat turns, shown again after a reload. */
  readonly webChatTurns: WebChatTurns;
  /** Whether the database answers now; never throws. */
  health(): Promise<StoreHealth>;
  /** Deletes what has expired (idle conversations, old keys, finished jobs, the log past retention). */
  purgeExpired(): Promise<PurgeCounts>;
  /** Closes the database; on the embedded engine this also checkpoints it and frees the data dir. */
  close(): Promise<void>;
}
