import type { EntryRecord } from '../indexing/chunking.js';
import type { KnowledgeEntry } from '../knowledge/schemas.js';
import type { Vocabulary } from '../knowledge/vocabulary.js';
import { hasFilters, matchesFilters, type SearchFilters } from '../retrieval/filters.js';
import type { Retriever, SearchResult } from '../retrieval/hybrid-search.js';
import { termsMentioned } from '../retrieval/query-expansion.js';
import { gist, slugWords as label } from '../text/sentences.js';
import { tokenize } from '../text/tokenize.js';
import type { PeerCase, RecommendedMethod, SkillAdvice } from './answer.js';
import type { ChallengeProfile } from './challenge-profile.js';
import { group, regex } from './patterns.js';
import { isRelevant } from './relevance.js';

/** What recommendation needs from the knowledge base. */
export interface RecommendationContext {
  retriever: Retriever;
  entries: Map<string, KnowledgeEntry>;
  vocabulary: Vocabulary;
}

// Words too common in this domain to show that two target groups are the same.
const genericWords = new Set([
  'people',
  'public',
  'service',
  'services',
  'government',
  'citizens',
  'users',
  'their',
  'other',
  'about',
  'there',
  'which',
  'these',
  'those',
  'would',
  'could',
  'should',
]);

/** A toolkit as the answer lists it. */
export function toRecommendedMethod(record: EntryRecord, reason: string): RecommendedMethod {
  return {
    id: record.id,
    title: record.title,
    url: record.url,
    publisher: record.organisation,
    reason,
    facets: record.facets,
    lifecycleStages: record.lifecycleStages,
  };
}

/** A case as the answer lists it, with the organisation to approach. */
export function toPeerCase(record: EntryRecord, reason: string): PeerCase {
  return {
    id: record.id,
    title: record.title,
    country: record.country,
    level: record.level,
    organisation: record.organisation,
    year: record.year,
    url: record.url,
    reason,
  };
}

/** What the kind of challenge says about methods (from knowledge/challenge-kinds.yaml). */
export interface MethodFit {
  /** Method keys that suit the kind(s) of challenge described. */
  preferredMethods: Set<string>;
  /** Methods a toolkit may only be offered for when the message names them. */
  methodsNeedingMention: Set<string>;
  /** The user's own words, when the search text adds others (peers' methods, a kind's methods). */
  message?: string;
  /** Further searches whose toolkits count too (a long message's asks with its kind's methods). */
  alsoSearch?: string[];
  /** Methods the asker ruled out: the search leaves out toolkits using them (as any hard filter). */
  excludedMethods?: string[];
}

/** Several ranked lists as one: first of each, then second of each…, each entry once. */
function interleave(lists: SearchResult[][]): SearchResult[] {
  const seen = new Set<string>();
  const merged: SearchResult[] = [];
  for (let rank = 0; rank < Math.max(0, ...lists.map((list) => list.length)); rank++)
    for (const list of lists) {
      const result = list[rank];
      if (result && !seen.has(result.entry.id)) {
        seen.add(result.entry.id);
        merged.push(result);
      }
    }
  return merged;
}

/**
 * Toolkits for a challenge, favouring those whose methods fit its kind, then its facet(s) and
 * lifecycle stage. A toolkit must be about the challenge (found relevant, or built on a method
 * its kind calls for); one built around a method the message never mentions (an AI kit for a
 * climate goal) is left out. When little fits, fewer are recommended.
 */
export async function recommendMethods(
  context: RecommendationContext,
  challenge: string,
  profile: ChallengeProfile,
  limit = 4,
  fit: MethodFit = { preferredMethods: new Set(), methodsNeedingMention: new Set() },
): Promise<RecommendedMethod[]> {
  const searches = [challenge, ...(fit.alsoSearch ?? [])].map((query) =>
    context.retriever.search(query, {
      k: 25,
      filters: { types: ['toolkit'], excludedMethods: fit.excludedMethods },
    }),
  );
  const results = interleave(await Promise.all(searches));
  const mentioned = new Set(
    termsMentioned(singular(fit.message ?? challenge), context.vocabulary.methods).map((term) => term.slug),
  );
  const facets = new Set<string>(profile.facets.map((item) => item.facet));
  const scored = results.map((result, position) => {
    const facetFit = result.entry.facets.filter((facet) => facets.has(facet));
    const stageFit = profile.stage && result.entry.lifecycleStages.includes(profile.stage.stage);
    // A method the message names fits as surely as one its kind of challenge calls for.
    const kindFit = result.entry.methods.filter(
      (method) => fit.preferredMethods.has(method) || mentioned.has(method),
    );
    // A toolkit built around such a method (participatory budgeting, AI) waits for it to be named or
    // called for; sharing a broad method with the challenge ("outreach") is not enough.
    const needsMention = result.entry.methods.some(
      (method) =>
        fit.methodsNeedingMention.has(method) && !mentioned.has(method) && !fit.preferredMethods.has(method),
    );
    // …and the method named outranks the kind's broader ones ("build scenarios" over foresight at large).
    const namedFit = result.entry.methods.some((method) => mentioned.has(method));
    const score =
      1 / (position + 3) +
      // A toolkit's first method is what it is built around; a later one is a side of it, unless
      // the message names it.
      (kindFit.length === 0 ? 0 : namedFit || kindFit.includes(result.entry.methods[0]!) ? 0.2 : 0.1) +
      (namedFit ? 0.1 : 0) +
      (facetFit.length > 0 ? 0.08 : 0) +
      (stageFit ? 0.06 : 0) +
      (isRelevant(result) ? 0.15 : 0);
    return { result, score, facetFit, stageFit, kindFit, needsMention };
  });
  return scored
    .filter(({ result, kindFit, needsMention, facetFit, stageFit }) => {
      if (needsMention) return false;
      if (kindFit.length > 0) return true;
      // Without a kind of challenge to go by, facet and stage together still vouch for a toolkit.
      return (
        isRelevant(result) ||
        (fit.preferredMethods.size === 0 && mentioned.size === 0 && facetFit.length > 0 && stageFit)
      );
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ result, facetFit, stageFit }) => {
      const entry = context.entries.get(result.entry.id);
      const purpose =
        entry?.sections.find((section) => section.heading === 'What it is for')?.text ?? result.entry.summary;
      const fits = [
        facetFit.length > 0 ? `${facetFit.map(label).join(' and ')} facet` : '',
        stageFit && profile.stage ? `${label(profile.stage.stage)} stage` : '',
      ].filter(Boolean);
      return toRecommendedMethod(
        result.entry,
        `${fits.length > 0 ? `Fits the ${fits.join(' and the ')}: ` : ''}${gist(purpose)}`,
      );
    });
}

/** Cases from several countries that faced a similar challenge, with what they share with it. */
export async function matchPeerCases(
  context: RecommendationContext,
  challenge: string,
  filters: SearchFilters,
  profile: ChallengeProfile,
  limit = 5,
  preferred: SearchFilters = {},
): Promise<PeerCase[]> {
  const found = (
    await context.retriever.search(challenge, { k: 30, filters: { ...filters, types: ['case'] } })
  ).filter(isRelevant);
  const wantedMethods = new Set(
    termsMentioned(challenge, context.vocabulary.methods).map((term) => term.slug),
  );
  // Soft filters (what the asker said about themselves) lift matching cases, never exclude others;
  // so does using a method the message names ("let residents vote on the budget").
  const results = found
    .map((result, position) => ({
      result,
      rank:
        position -
        (hasFilters(preferred) && matchesFilters(result.entry, preferred) ? 4 : 0) -
        (result.entry.methods.some((method) => wantedMethods.has(method)) ? 4 : 0),
    }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ result }) => result);
  const perCountry = new Map<string, number>();
  // One country may appear at most twice, unless the user asked for that country.
  const maxPerCountry = filters.countries?.length ? limit : 2;
  const chosen: SearchResult[] = [];
  for (const result of results) {
    const country = result.entry.country ?? '';
    if ((perCountry.get(country) ?? 0) >= maxPerCountry) continue;
    perCountry.set(country, (perCountry.get(country) ?? 0) + 1);
    chosen.push(result);
    if (chosen.length === limit) break;
  }
  const challengeWords = new Set(
    tokenize(challenge).filter((word) => word.length > 4 && !genericWords.has(word)),
  );
  const facets = new Set<string>(profile.facets.map((item) => item.facet));
  return chosen.map((result) => {
    const entry = context.entries.get(result.entry.id);
    const shared: string[] = [];
    const methods = result.entry.methods.filter((method) => wantedMethods.has(method));
    if (methods.length > 0) {
      const names = methods.map(
        (method) => context.vocabulary.methods.get(method)?.label.toLowerCase() ?? label(method),
      );
      shared.push(`uses ${names.join(' and ')}`);
    }
    const group =
      entry?.type === 'case'
        ? entry.users_and_beneficiaries.find((users) =>
            tokenize(users).some((word) => challengeWords.has(word)),
          )
        : undefined;
    if (group) shared.push(`serves ${group}`);
    // The facet is said once in the answer; here it only helps when nothing more specific is shared.
    const facetFit = result.entry.facets.filter((facet) => facets.has(facet));
    if (shared.length === 0 && facetFit.length > 0)
      shared.push(`${facetFit.map(label).join(' and ')} like your challenge`);
    return toPeerCase(
      result.entry,
      shared.length > 0
        ? `Shared ground: ${shared.join('; ')}. ${gist(result.entry.summary, 140)}`
        : gist(result.entry.summary),
    );
  });
}

// Situations that point at one of the six core skills (OECD beta model, 2017).
const skillCues: { id: string; pattern: RegExp; because: string }[] = [
  {
    id: 'skill-iteration',
    pattern:
      /\b(test\w*|pilot\w*|experiment\w*|iterat\w*|prototyp\w*|big[- ]bang|waterfall|rollout|roll out)\b/i,
    because: 'developing things in small, tested steps',
  },
  {
    id: 'skill-data-literacy',
    pattern: /\b(data|evidence|gut feeling|numbers|analytics|measur\w*|statistic\w*)\b/i,
    because: 'putting data at the start of decisions',
  },
  {
    id: 'skill-user-centricity',
    pattern:
      /\b(users?|citizens?|residents?|customers?|org(anisation)? chart|needs|journey|service design)\b/i,
    because: 'designing around the needs of the people served',
  },
  {
    id: 'skill-curiosity',
    pattern: /\b(new ideas?|curious|curiosity|same way|always done|explor\w*|look(ing)? outside)\b/i,
    because: 'seeking out and trying new ideas and ways of working',
  },
  {
    id: 'skill-storytelling',
    pattern: regex(
      'i',
      /\b/,
      group(
        /buy-?in|convinc\w*|persuad\w*|communicat\w*|narrative|story|stories/,
        /support from|politicians?|minister/,
      ),
      /\b/,
    ),
    because: 'explaining change so that it wins support',
  },
  {
    id: 'skill-insurgency',
    pattern: regex(
      'i',
      /\b/,
      group(
        /status quo|rules?|resist\w*|risk[- ]aver\w*|bureaucra\w*/,
        /permission|hierarch\w*|challenge the way/,
      ),
      /\b/,
    ),
    because: 'challenging established ways of working',
  },
];

/** The skills a team or role needs for a situation, each with toolkits to build it. */
export async function adviseSkills(
  context: RecommendationContext,
  situation: string,
  limit = 3,
  named: string[] = [],
): Promise<SkillAdvice[]> {
  const reasons = new Map<string, string>();
  // A skill asked about by name comes first, explained in its own words.
  for (const id of named) {
    const entry = context.entries.get(id);
    if (entry?.type === 'skill')
      reasons.set(id, `You ask about ${entry.title.replace(/\s*\(.*\)$/, '')}: ${gist(entry.summary)}`);
  }
  for (const cue of skillCues) {
    const match = cue.pattern.exec(situation);
    if (match && context.entries.has(cue.id) && !reasons.has(cue.id))
      reasons.set(cue.id, `You mention "${match[0]}": this skill is about ${cue.because}.`);
  }
  // Among skills alone the bar can be lower: the question is already known to be about skills.
  const results = (await context.retriever.search(situation, { k: 6, filters: { types: ['skill'] } })).filter(
    (result, position) =>
      isRelevant(result) || (position < 2 && (result.matchedTerms >= 2 || (result.similarity ?? 0) >= 0.55)),
  );
  for (const result of results) {
    const entry = context.entries.get(result.entry.id);
    // Role profiles are descriptions of roles (and partly unconfirmed), not skills to build.
    if (entry?.type === 'skill' && entry.kind !== 'role-profile' && !reasons.has(entry.id))
      reasons.set(entry.id, gist(entry.summary));
  }
  // Nothing specific: the six core skills are the honest starting point.
  if (reasons.size === 0) return coreSkills(context, limit);
  return [...reasons.entries()].slice(0, limit).flatMap(([id, reason]) => skillAdvice(context, id, reason));
}

/**
 * The OECD's six core skills, in the model's order (for a learning path, or when nothing is
 * specific). `introduced`: the answer already says they are the core skills.
 */
export function coreSkills(context: RecommendationContext, limit = 6, introduced = false): SkillAdvice[] {
  return skillCues.slice(0, limit).flatMap((cue) => {
    const reason = introduced
      ? `${cue.because.charAt(0).toUpperCase()}${cue.because.slice(1)}.`
      : `One of the six core skills for public sector innovation: ${cue.because}.`;
    return skillAdvice(context, cue.id, reason);
  });
}

function skillAdvice(context: RecommendationContext, id: string, reason: string): SkillAdvice[] {
  const entry = context.entries.get(id);
  if (!entry) return [];
  const toolkits = entry.type === 'skill' ? entry.related_toolkits : [];
  return [
    {
      id,
      title: entry.title,
      url: entry.sources[0],
      reason,
      toolkits: toolkits.slice(0, 3).flatMap((toolkitId) => {
        const toolkit = context.entries.get(toolkitId);
        return toolkit?.type === 'toolkit'
          ? [{ id: toolkit.id, title: toolkit.title, url: toolkit.url }]
          : [];
      }),
    },
  ];
}

/** Plural words made singular ("challenge prizes" → "challenge prize"), so a named method is recognised. */
function singular(text: string): string {
  return text.replace(/\b(\p{L}{3,}?)(?:ies)\b/gu, '$1y').replace(/\b(\p{L}{3,}[^s\W])s\b/gu, '$1');
}
