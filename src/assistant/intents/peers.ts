import { hasFilters } from '../../retrieval/filters.js';
import { termsMentioned } from '../../retrieval/query-expansion.js';
import { describeProfile, renderMethods, renderPeerCases } from '../compose-answer.js';
import type { CitationList } from '../citations.js';
import { matchPeerCases, recommendMethods } from '../recommend.js';
import { emptySection, type PlanInput, type PlannedSection } from '../stages/plan.js';
import { backgroundFor, kindMethodWords, methodFitOf, renderBackground } from './methods.js';

/**
 * Peer cases for a challenge, from several countries, with whom to approach. When the filters the
 * user asked for leave nothing, the answer is given without them and says so in one line.
 */
export async function planPeers(input: PlanInput, citations: CitationList): Promise<PlannedSection> {
  const { context, records, profile, hardFilters, softFilters } = input;
  const limit = input.combined ? 3 : 5;
  const where = input.hardNotes.length > 0 ? ` (${input.hardNotes.join(', ')})` : '';
  let query = input.topic;
  let peers = await matchPeerCases(context, query, hardFilters, profile, limit, softFilters);
  // A thin ask ("which governments do this well?") finds nothing alone: its kind's methods help.
  const kindWords = kindMethodWords(input);
  if (peers.length === 0 && kindWords) {
    query = `${input.topic} ${kindWords}`;
    peers = await matchPeerCases(context, query, hardFilters, profile, limit, softFilters);
  }
  let relaxed: string[] | undefined;
  if (hasFilters(hardFilters)) {
    // A filtered case counts only if it would also stand among the best cases without the filter:
    // otherwise the filter has left only the nearest of nothing.
    const unfiltered = await matchPeerCases(context, query, {}, profile, 8, softFilters);
    const strong = new Set(unfiltered.slice(0, 4).map((peer) => peer.id));
    // "Participatory budgeting, regional only": a regional case must use the method named, when
    // the best cases elsewhere do.
    const named = new Set(termsMentioned(input.topic, context.vocabulary.methods).map((term) => term.slug));
    const usesNamed = (peer: { id: string }) =>
      records.get(peer.id)?.methods.some((method) => named.has(method)) ?? false;
    const methodMatters = unfiltered.slice(0, 4).some(usesNamed);
    peers = peers.filter((peer) => strong.has(peer.id) && (!methodMatters || usesNamed(peer)));
    if (peers.length === 0 && unfiltered.length > 0) {
      peers = unfiltered.slice(0, limit);
      relaxed = input.hardNotes;
    }
  }
  const lines: string[] = [];
  if (relaxed) lines.push(`No case${where} matches this closely; these from elsewhere do:`);
  else if (peers.length > 0)
    lines.push(`**Peer cases${where}** — the organisation named is the team to approach:`);
  else lines.push(`I found no case${where} close enough to your challenge.`);
  lines.push(...renderPeerCases(peers, citations, records));

  let methods = [] as Awaited<ReturnType<typeof recommendMethods>>;
  if (!input.combined) {
    // Toolkits for the methods the peers used, as well as for the words of the challenge.
    const peerMethods = [
      ...new Set(peers.slice(0, 3).flatMap((peer) => records.get(peer.id)?.methods ?? [])),
    ].map((slug) => context.vocabulary.methods.get(slug)?.label ?? slug);
    methods = await recommendMethods(
      context,
      peerMethods.length > 0 ? `${input.topic} ${peerMethods.join(', ')}` : input.topic,
      profile,
      3,
      methodFitOf(input),
    );
    if (methods.length > 0) {
      const where = profile.facets.length > 0 ? describeProfile(profile) : '';
      lines.push(
        '',
        `**Methods they and others used:** ${where}`.trimEnd(),
        ...renderMethods(methods, citations, records),
      );
    }
  }
  // A permission or culture problem asked as "how do other governments…" still gets its reading.
  if (!input.intents.includes('recommend_methods'))
    lines.push(...renderBackground(backgroundFor(input), citations));
  const countries = new Set(peers.map((peer) => peer.country));
  return {
    ...emptySection('peer_cases', lines, peers.length > 0 || methods.length > 0),
    peers,
    methods,
    relaxed,
    followUps: [
      peers.length > 0 ? 'Tell me more about the first one' : '',
      hardFilters.levels ? '' : 'Only local government',
      countries.size > 0 && !hardFilters.regions ? 'Any examples in Latin America?' : '',
      'Which methods fit this challenge?',
    ].filter(Boolean),
  };
}
