import { facetIds, type FacetId } from '../knowledge/schemas.js';
import type { PortfolioPlacement, RecommendedMethod } from './answer.js';
import { profileChallenge } from './challenge-profile.js';
import { recommendMethods, type RecommendationContext } from './recommend.js';

export interface PortfolioMap {
  placements: PortfolioPlacement[];
  counts: Record<FacetId, number>;
  missing: FacetId[];
  /** One toolkit per missing facet, to start filling the gap. */
  suggestions: RecommendedMethod[];
}

const facetQuestions: Record<FacetId, string> = {
  'enhancement-oriented': 'improve an existing service so it is faster, cheaper or better',
  'mission-oriented': 'reach an ambitious shared goal across organisations',
  adaptive: 'respond to a changed situation and learn as we go',
  anticipatory: 'explore how emerging futures could change what we should do',
};

// Methods typical of each facet (OPSI's facet model), so a gap gets a toolkit of that facet.
const facetMethods: Record<FacetId, string[]> = {
  'enhancement-oriented': ['lean', 'service-design', 'quality-management'],
  'mission-oriented': ['mission-governance', 'systems-thinking'],
  adaptive: ['experimentation', 'agile', 'living-lab', 'prototyping'],
  anticipatory: [
    'strategic-foresight',
    'scenarios',
    'horizon-scanning',
    'anticipatory-innovation-governance',
  ],
};

/** Places each project on the facets (with a reason), counts the balance and names the gaps. */
export async function mapPortfolio(
  context: RecommendationContext,
  projects: string[],
): Promise<PortfolioMap> {
  const placements: PortfolioPlacement[] = [];
  for (const project of projects.slice(0, 25)) {
    const evidence = await context.retriever.search(project, {
      k: 6,
      filters: { types: ['case', 'toolkit'] },
    });
    const [top] = profileChallenge(project, evidence).facets;
    placements.push(
      top
        ? { project, facet: top.facet, reason: top.reason }
        : {
            project,
            facet: 'unclear',
            reason: 'the description is too short to tell; add a line on its goal',
          },
    );
  }
  const counts = Object.fromEntries(
    facetIds.map((facet) => [facet, placements.filter((placement) => placement.facet === facet).length]),
  ) as Record<FacetId, number>;
  const missing = facetIds.filter((facet) => counts[facet] === 0);
  const suggestions: RecommendedMethod[] = [];
  for (const facet of missing) {
    const candidates = await recommendMethods(
      context,
      facetQuestions[facet],
      { facets: [{ facet, reason: 'a gap in the portfolio' }] },
      5,
      { preferredMethods: new Set(facetMethods[facet]), methodsNeedingMention: new Set() },
    );
    const method = candidates.find((candidate) => candidate.facets.includes(facet));
    if (method && !suggestions.some((existing) => existing.id === method.id)) suggestions.push(method);
  }
  return { placements, counts, missing, suggestions };
}
