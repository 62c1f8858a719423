import type { FacetId, LifecycleStageId } from '../knowledge/schemas.js';
import type { SearchResult } from '../retrieval/hybrid-search.js';
import { group, regex } from './patterns.js';

/** Where a described challenge sits: facet(s) and lifecycle stage, each with the reason. */
export interface ChallengeProfile {
  facets: { facet: FacetId; reason: string }[];
  stage?: { stage: LifecycleStageId; reason: string };
}

// Cues from the facets' guiding questions and drivers (OPSI's facet model).
const facetCues: Record<FacetId, { pattern: RegExp; because: string }[]> = {
  'enhancement-oriented': [
    {
      pattern: regex(
        'i',
        /\b/,
        group(
          /better|faster|cheaper|efficien\w*|streamlin\w*|improv\w*|simplif\w*|quality|backlog/,
          /waiting times?|paperwork|digitis\w*|digitiz\w*|automat\w*|reduce (costs?|errors?|delays?)/,
          /take-?up|proactive\w*|more (people|easily)/,
        ),
        /\b/,
      ),
      because: 'it is about doing an existing task better',
    },
  ],
  'mission-oriented': [
    {
      pattern: regex(
        'i',
        /\b/,
        group(
          /goal|target|ambition\w*|mission\w*|net[- ]zero|carbon neutral\w*|by 20[2-5]\d/,
          /cross[- ](ministry|ministerial|government|agency|departmental)|whole[- ]of[- ]government/,
          /several (ministries|agencies)|moonshot|eliminat\w+|end (child )?poverty|climate/,
        ),
        /\b/,
      ),
      because: 'it starts from an ambitious goal that needs several actors, with the "how" still open',
    },
  ],
  adaptive: [
    {
      pattern: regex(
        'i',
        /\b/,
        group(
          /crisis|crises|covid|pandemic|emergenc\w*|sudden\w*|unexpected|disrupt\w*|changed|changing/,
          /new reality|respond\w*|react\w*|bottom[- ]up|frontline|overnight|surge/,
        ),
        /\b/,
      ),
      because: 'the situation has changed and the team must respond and learn as it goes',
    },
  ],
  anticipatory: [
    {
      pattern: regex(
        'i',
        /\b/,
        group(
          /future|futures|20[3-9]\d|long[- ]term|emerging|foresight|scenarios?|horizon|weak signals?/,
          /uncertain\w*|anticipat\w*|next (decade|generation)|(in|over the next) (ten|10|twenty|20) years/,
          /\d+ years (ahead|from now)|decades? ahead|(think|plan\w*|look\w*) ahead|long run/,
          /new technolog\w*|artificial intelligence|\bai\b/,
        ),
        /\b/,
      ),
      because: 'it asks how emerging possibilities could change what the task should be',
    },
  ],
};

const stageCues: { stage: LifecycleStageId; pattern: RegExp; because: string }[] = [
  {
    stage: 'evaluating-projects',
    pattern: regex(
      'i',
      /\b/,
      group(
        /evaluat\w*|measur\w*|did it work|worked|impact|assess\w*|indicators?/,
        /results? of (our|the) pilot|pilot (is|has) (finished|ended)/,
      ),
      /\b/,
    ),
    because: 'you want to know whether something delivered',
  },
  {
    stage: 'diffusing-lessons',
    pattern: regex(
      'i',
      /\b/,
      group(
        /spread|scale up|scaling|replicat\w*|copy|share (what|our|lessons)|transfer\w*/,
        /roll out (elsewhere|nationally)|other (ministries|municipalities) (want|could)/,
      ),
      /\b/,
    ),
    because: 'you want to spread or adapt something that works',
  },
  {
    stage: 'implementing-projects',
    pattern:
      /\b(implement\w*|roll(ing)? out|deliver\w*|launch\w*|go live|put (it )?into practice|stall\w*)\b/i,
    because: 'you are making something happen in practice',
  },
  {
    stage: 'developing-proposals',
    pattern: regex(
      'i',
      /\b/,
      group(
        /business case|proposal|funding|budget approval|convince|get (it )?approved|sign[- ]off/,
        /pitch|prototype|pilot design|test (an|the|our) idea/,
      ),
      /\b/,
    ),
    because: 'you are turning an idea into something that can be decided on',
  },
  {
    stage: 'generating-ideas',
    pattern: /\b(ideas?|options|brainstorm\w*|ideation|how might we|creative|solutions?|possibilities)\b/i,
    because: 'you are looking for and filtering ideas',
  },
  {
    stage: 'identifying-problems',
    pattern: regex(
      'i',
      /\b/,
      group(
        /understand\w*|problem|root causes?|why|diagnos\w*|map(ping)?|don'?t know/,
        /what('s| is) (going on|wrong)|explor\w*|discover\w*|need(s)? of/,
      ),
      /\b/,
    ),
    because: 'you are still working out what the problem is and why',
  },
];

/**
 * Places a challenge on the facets and the lifecycle: words of the challenge first (they say
 * why), then the facets of the closest cases and toolkits as a tie-breaker.
 */
export function profileChallenge(text: string, evidence: SearchResult[]): ChallengeProfile {
  const scores = new Map<FacetId, { score: number; reason: string }>();
  for (const [facet, cues] of Object.entries(facetCues) as [FacetId, (typeof facetCues)[FacetId]][]) {
    for (const cue of cues) {
      const match = cue.pattern.exec(text);
      if (match) scores.set(facet, { score: 2, reason: `you mention "${match[0]}": ${cue.because}` });
    }
  }
  evidence.slice(0, 6).forEach((result, position) => {
    for (const facet of result.entry.facets as FacetId[]) {
      const current = scores.get(facet) ?? {
        score: 0,
        reason: `the closest cases and toolkits, such as ${result.entry.title}, sit in this facet`,
      };
      current.score += 1 / (position + 2);
      scores.set(facet, current);
    }
  });
  const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
  const best = ranked[0]?.[1].score ?? 0;
  const facets = ranked
    .filter(([, value], index) => index === 0 || (value.score >= 2 && value.score >= best * 0.6))
    .slice(0, 2)
    .map(([facet, value]) => ({ facet, reason: value.reason }));

  const stageCue = stageCues
    .map((cue) => ({ cue, match: cue.pattern.exec(text) }))
    .find(({ match }) => match);
  const stage = stageCue
    ? { stage: stageCue.cue.stage, reason: `you mention "${stageCue.match![0]}": ${stageCue.cue.because}` }
    : undefined;
  return { facets, stage };
}
