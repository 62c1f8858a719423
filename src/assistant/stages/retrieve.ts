import { kindsOf, type ChallengeKind, type ChallengeKinds } from '../../knowledge/challenge-kinds.js';
import type { SearchFilters } from '../../retrieval/filters.js';
import type { Retriever, SearchResult } from '../../retrieval/hybrid-search.js';
import type { Intent } from '../answer.js';
import { profileChallenge, type ChallengeProfile } from '../challenge-profile.js';

/** What the search found for the topic, and where the challenge sits. */
export interface Retrieval {
  evidence: SearchResult[];
  profile: ChallengeProfile;
  challengeKinds: { kind: ChallengeKind; cue: string }[];
}

/**
 * Searches the topic once for evidence (cases and toolkits for practical asks, everything for a
 * concept question) and reads the challenge's facets, stage and kinds from its words.
 */
export async function retrieveEvidence(
  retriever: Retriever,
  topic: string,
  english: string,
  intents: Intent[],
  hardFilters: SearchFilters,
  kinds: ChallengeKinds,
): Promise<Retrieval> {
  const conceptOnly = intents.every((intent) => intent === 'question');
  const evidence = await retriever.search(topic, {
    k: 8,
    filters: conceptOnly ? hardFilters : { ...hardFilters, types: ['case', 'toolkit'] },
  });
  return {
    evidence,
    profile: profileChallenge(topic, evidence),
    challengeKinds: kindsOf(english, kinds),
  };
}
