/** How an answer came about; adapters phrase and style it accordingly. */
export type AnswerStatus = 'answered' | 'no_match' | 'clarify' | 'refused' | 'degraded';

/** What the user asked for, as the assistant understood it. */
export type Intent =
  'question' | 'recommend_methods' | 'peer_cases' | 'skills' | 'portfolio' | 'entry_detail' | 'help';

/** A knowledge entry the answer relies on; `[n]` in the text refers to citations[n-1]. */
export interface Citation {
  id: string;
  type: string;
  title: string;
  url?: string;
}

export interface RecommendedMethod {
  id: string;
  title: string;
  url?: string;
  publisher?: string;
  /** One line: why it fits this challenge. */
  reason: string;
  facets: string[];
  lifecycleStages: string[];
}

export interface PeerCase {
  id: string;
  title: string;
  country?: string;
  level?: string;
  /** The organisation behind the case: whom to approach. */
  organisation?: string;
  year?: number | null;
  url?: string;
  /** One line: what the user's challenge and this case share. */
  reason: string;
}

export interface SkillAdvice {
  id: string;
  title: string;
  url?: string;
  reason: string;
  /** Toolkits to start building the skill with. */
  toolkits: { id: string; title: string; url?: string }[];
}

export interface PortfolioPlacement {
  project: string;
  facet: string;
  reason: string;
}

/** The structured answer every channel renders; adapters never see prompts or retrieval internals. */
export interface Answer {
  status: AnswerStatus;
  intent: Intent;
  /** Markdown with numbered citation markers such as [1]. */
  text: string;
  citations: Citation[];
  recommendedMethods: RecommendedMethod[];
  peerCases: PeerCase[];
  skills: SkillAdvice[];
  portfolio: PortfolioPlacement[];
  /** Suggested next questions. */
  followUps: string[];
  /** The language the message was written in (ISO 639-1, e.g. "fr"); "en" when unsure. */
  language?: string;
  /** The filters the answer honours, in plain words ("local government", "in Estonia"). */
  filtersApplied?: string[];
  /** Filters asked for that left nothing relevant, so the answer was given without them. */
  filtersRelaxed?: string[];
}

/** What a channel passes in: the text and who/where it comes from. */
export interface Question {
  text: string;
  /** Keeps follow-ups together: a thread, a chat or a CLI session. */
  conversationId?: string;
  user?: string;
  channel?: string;
  /** Defaults the channel's managers set; they favour, never restrict (see withChannelDefaults). */
  defaults?: ChannelDefaults;
}

/** A channel's default filters (vocabulary slugs) and language (ISO 639-1), set in its settings. */
export interface ChannelDefaults {
  regions?: string[];
  levels?: string[];
  /** The language of the answer when the message's own language is unsure. */
  language?: string;
}

/** An answer with every section empty, to fill in. */
export function emptyAnswer(status: AnswerStatus, intent: Intent, text: string): Answer {
  return {
    status,
    intent,
    text,
    citations: [],
    recommendedMethods: [],
    peerCases: [],
    skills: [],
    portfolio: [],
    followUps: [],
  };
}
