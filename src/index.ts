// The core's public surface: what adapters and other programs may import.
export { loadConfig, type Config } from './config.js';
export { NavigatorError, isNavigatorError, type NavigatorErrorCode } from './errors.js';
export {
  openRetriever,
  type OpenedRetriever,
  type OpenRetrieverOptions,
} from './retrieval/open-retriever.js';
export type { SearchOptions, SearchResult, SearchMode } from './retrieval/hybrid-search.js';
export type { SearchFilters } from './retrieval/filters.js';
export { createNavigator, type Navigator, type NavigatorOptions } from './assistant/navigator.js';
export { askStreaming, finalAnswerOf, type AnswerStreamEvent } from './assistant/stream-answer.js';
export type {
  Answer,
  AnswerStatus,
  ChannelDefaults,
  Citation,
  Intent,
  PeerCase,
  PortfolioPlacement,
  Question,
  RecommendedMethod,
  SkillAdvice,
} from './assistant/answer.js';
export {
  MemoryConversationStore,
  type ConversationStore,
  type ConversationState,
} from './assistant/conversation-store.js';
export type { EntryRecord } from './indexing/chunking.js';
export {
  recordFeedback,
  submitCase,
  feedbackPaths,
  caseSubmissionSchema,
  type Feedback,
  type CaseSubmission,
} from './feedback/feedback-store.js';
export { NavigatorRetriever, type NavigatorRetrieverInput } from './langchain/navigator-retriever.js';
export { NavigatorVectorStore } from './langchain/navigator-vector-store.js';
export type { NavigatorDocumentMetadata } from './langchain/to-document.js';
export {
  openNavigatorStore,
  storeOptionsFromConfig,
  SqlNavigatorStore,
  type OpenStoreOptions,
  type StoreLog,
} from './store/open-store.js';
export type { NavigatorStore, StoreHealth, PurgeCounts } from './store/navigator-store.js';
export type { StoreEngineName, JsonValue } from './store/sql-engine.js';
export type { SharedConversationStore } from './store/conversations.js';
export { defaultDeliveryKeyTtlMs, type DeliveryKeys } from './store/delivery-keys.js';
export type {
  JobQueue,
  JobStatus,
  JobRecord,
  ClaimedJob,
  EnqueueJob,
  EnqueueResult,
  FailResult,
  JobQueueOptions,
} from './store/jobs.js';
export type { TeamsMemory, SentAnswer } from './store/teams-memory.js';
export { defaultShareableForMs, type SharedAnswer, type SharedAnswerStore } from './store/shared-answers.js';
export type {
  FeedbackStore,
  FeedbackRecord,
  CaseSubmissionStore,
  CaseSubmissionStatus,
  StoredCaseSubmission,
  SubmitCaseResult,
  ReviewResult,
} from './store/review-queue.js';
export {
  questionLogEntry,
  type QuestionLog,
  type QuestionLogEntry,
  type QuestionLogRecord,
  type KnowledgeGap,
} from './store/question-log.js';
export type {
  EngagedThreads,
  ChannelSettingsStore,
  RateLimits,
  RateLimitDecision,
  RateLimit,
  RateLimitsVerdict,
  DigestSubscriptions,
  DigestSubscription,
  DigestPeriod,
  EntryHashes,
} from './store/channel-state.js';
export type { HandOffs, HandOff, HandOffStatus, HandOffReplyResult, NewHandOff } from './store/hand-offs.js';
export {
  startJobWorker,
  type JobWorker,
  type JobWorkerOptions,
  type JobContext,
} from './store/job-worker.js';
export type {
  WebSessions,
  WebSession,
  WebSessionRole,
  NewWebSession,
  WebChatTurns,
  WebChatTurn,
} from './store/web-sessions.js';
export {
  loadKnowledge,
  formatProblem,
  type LoadedKnowledge,
  type KnowledgeProblem,
} from './knowledge/load-knowledge.js';
export { loadVocabulary, type Vocabulary } from './knowledge/vocabulary.js';
export {
  supportedLanguages,
  languageNames,
  type SupportedLanguage,
} from './assistant/stages/detect-language.js';
export { computeStats, type KnowledgeStats } from './knowledge/knowledge-stats.js';
export {
  composeDigest,
  digestHeadline,
  typeName,
  type KnowledgeDigest,
  type DigestItem,
  type DigestChange,
} from './knowledge/digest.js';
export { entryHashesOf, hashEntryFiles } from './knowledge/entry-hashes.js';
export {
  facetIds,
  lifecycleStageIds,
  levelIds,
  type KnowledgeEntry,
  type FacetId,
  type LifecycleStageId,
} from './knowledge/schemas.js';
export {
  newEntryQuestions,
  frontMatterFromAnswers,
  missingAnswers,
  writeNewEntry,
  type NewEntryType,
  type EntryQuestion,
  type WriteEntryResult,
} from './knowledge/new-entry.js';
export { projectRoot } from './paths.js';
export { slugify } from './knowledge/entry-files.js';
export { minimumCasesPerCell } from './knowledge/knowledge-stats.js';
