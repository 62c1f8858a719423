import type { EntryRecord } from '../../indexing/chunking.js';
import type { ChallengeKind, ChallengeKinds } from '../../knowledge/challenge-kinds.js';
import type { SearchFilters } from '../../retrieval/filters.js';
import type { SearchResult } from '../../retrieval/hybrid-search.js';
import type { Intent, PeerCase, PortfolioPlacement, RecommendedMethod, SkillAdvice } from '../answer.js';
import type { ChallengeProfile } from '../challenge-profile.js';
import type { CitationList } from '../citations.js';
import type { ConversationState } from '../conversation-store.js';
import type { RecommendationContext } from '../recommend.js';
import type { NamedEntry } from '../understanding/entry-names.js';
import { planConcept } from '../intents/concept.js';
import { planEntryDetail } from '../intents/entry-detail.js';
import { planHelp } from '../intents/help.js';
import { planMethods } from '../intents/methods.js';
import { planPeers } from '../intents/peers.js';
import { planPortfolio } from '../intents/portfolio.js';
import { planSkills } from '../intents/skills.js';

/** Everything a handler may read: the knowledge base, the understood message and what was found. */
export interface PlanInput {
  context: RecommendationContext;
  records: Map<string, EntryRecord>;
  kinds: ChallengeKinds;
  topic: string;
  /** The whole message in English, for cues outside the topic. */
  english: string;
  hardFilters: SearchFilters;
  softFilters: SearchFilters;
  /** Plain words of the hard filters, for "Peer cases (in Estonia)". */
  hardNotes: string[];
  evidence: SearchResult[];
  profile: ChallengeProfile;
  challengeKinds: { kind: ChallengeKind; cue: string }[];
  projects: string[];
  /** The ask sentences alone (English). */
  asks: string;
  /** Entries the message names, to put first. */
  named: NamedEntry[];
  ordinal?: number;
  state?: ConversationState;
  /** Several asks in one message: each section is shorter. */
  combined: boolean;
  /** All the asks of the message, in order. */
  intents: Intent[];
}

/** One part of an answer, written by the handler of one intent. */
export interface PlannedSection {
  intent: Intent;
  /** Markdown lines; markers refer to the shared citation list. */
  lines: string[];
  peers: PeerCase[];
  methods: RecommendedMethod[];
  skills: SkillAdvice[];
  portfolio: PortfolioPlacement[];
  followUps: string[];
  /** False when the handler found nothing it could stand behind. */
  found: boolean;
  /** Answer status when not simply answered/no_match (e.g. a clarifying question). */
  status?: 'clarify';
  /** Hard filters dropped because nothing matched with them. */
  relaxed?: string[];
}

export type IntentHandler = (input: PlanInput, citations: CitationList) => Promise<PlannedSection>;

const handlers: Record<Intent, IntentHandler> = {
  peer_cases: planPeers,
  recommend_methods: planMethods,
  skills: planSkills,
  portfolio: planPortfolio,
  question: planConcept,
  entry_detail: planEntryDetail,
  help: planHelp,
};

/** Runs the handler of each ask in order; all share one citation list so markers stay consistent. */
export async function planAnswer(
  intents: Intent[],
  input: PlanInput,
  citations: CitationList,
): Promise<PlannedSection[]> {
  const sections: PlannedSection[] = [];
  for (const intent of intents) sections.push(await handlers[intent](input, citations));
  return sections;
}

/** A section with nothing in it yet. */
export function emptySection(intent: Intent, lines: string[] = [], found = true): PlannedSection {
  return { intent, lines, peers: [], methods: [], skills: [], portfolio: [], followUps: [], found };
}
