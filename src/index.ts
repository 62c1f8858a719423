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
export type {
  Answer,
  AnswerStatus,
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
