import type { EntryRecord } from '../../indexing/chunking.js';
import { describeProfile, renderMethods, renderPeerCases } from '../compose-answer.js';
import type { CitationList } from '../citations.js';
import { matchPeerCases, recommendMethods, toPeerCase, type MethodFit } from '../recommend.js';
import type { PeerCase, RecommendedMethod } from '../answer.js';
import { emptySection, type PlanInput, type PlannedSection } from '../stages/plan.js';

/** The methods the kinds of challenge in a message call for, and those needing a mention. */
export function methodFitOf(input: PlanInput): MethodFit {
  return {
    preferredMethods: new Set(input.challengeKinds.flatMap(({ kind }) => kind.methods)),
    methodsNeedingMention: input.kinds.methodsNeedingMention,
    message: input.topic,
    excludedMethods: input.hardFilters.excludedMethods,
  };
}

/** The labels of the methods the kinds of challenge call for: "Strategic foresight, Scenarios…". */
export function kindMethodWords(input: PlanInput): string {
  return [...methodFitOf(input).preferredMethods]
    .slice(0, 4)
    .map((slug) => input.context.vocabulary.methods.get(slug)?.label ?? slug)
    .join(', ');
}

/** "This is a problem with many actors and no single owner (you mention "silos")." */
function describeKinds(input: PlanInput): string {
  const [first, ...others] = input.challengeKinds;
  if (!first) return '';
  const also = others.length > 0 ? `, and of ${others.map(({ kind }) => kind.label).join(' and ')}` : '';
  return `This is a case of ${first.kind.label} (you mention "${first.cue}")${also}.`;
}

/**
 * Methods and toolkits for a described challenge, chosen by its kind (many actors, fear of risk,
 * long horizon…), facet and stage, with background reading the kind calls for and, unless the
 * message also asks for peers separately, a few peers who faced something similar.
 */
export async function planMethods(input: PlanInput, citations: CitationList): Promise<PlannedSection> {
  const { context, records, profile } = input;
  const fit = methodFitOf(input);
  const kindWords = kindMethodWords(input);
  const query = kindWords ? `${input.topic} ${kindWords}` : input.topic;
  // In a paragraph the background drowns the kind's methods: its asks are searched with them too.
  // Methods named in passing there ("a chatbot", "an open data portal") are examples, not the ask.
  const long = input.topic.split(/\s+/).length > 30 && input.asks && kindWords;
  const limit = input.combined ? 3 : 4;
  let methods = await recommendMethods(
    context,
    query,
    profile,
    limit,
    long ? { ...fit, message: input.asks, alsoSearch: [`${input.asks} ${kindWords}`] } : fit,
  );
  const background = backgroundFor(input);
  const peers = input.combined ? [] : await peersFor(input, query);
  // No toolkit is written for this challenge: toolkits for the methods the closest cases used.
  let viaPeers: string[] = [];
  if (methods.length === 0) {
    const fallback = await methodsOfPeers(input, peers, limit);
    methods = fallback.methods;
    viaPeers = fallback.labels;
  }
  if (methods.length === 0 && peers.length === 0 && background.length === 0)
    return emptySection('recommend_methods', [], false);
  const lines = [[describeKinds(input), describeProfile(profile)].filter(Boolean).join(' ')];
  if (methods.length > 0 && viaPeers.length > 0)
    lines.push(
      '',
      '**No toolkit in the library is written for exactly this.** These cover the methods the ' +
        `closest cases used (${viaPeers.join(', ')}):`,
      ...renderMethods(methods, citations, records),
    );
  else if (methods.length > 0)
    lines.push('', '**Methods and toolkits that fit:**', ...renderMethods(methods, citations, records));
  else
    lines.push(
      '',
      'No toolkit in the library fits this challenge closely; the cases show how others went about it.',
    );
  lines.push(...renderBackground(background, citations));
  if (peers.length > 0)
    lines.push('', '**Peers who faced something similar:**', ...renderPeerCases(peers, citations, records));
  return {
    ...emptySection('recommend_methods', lines),
    methods,
    peers,
    followUps: [
      'Who has done this in practice?',
      'What skills does my team need for this?',
      'Tell me more about the first one',
    ],
  };
}

/** Toolkits for the methods the closest cases used, with those methods' names. */
async function methodsOfPeers(
  input: PlanInput,
  peers: PeerCase[],
  limit: number,
): Promise<{ methods: RecommendedMethod[]; labels: string[] }> {
  const cases =
    peers.length > 0
      ? peers
      : await matchPeerCases(
          input.context,
          input.topic,
          input.hardFilters,
          input.profile,
          3,
          input.softFilters,
        );
  const slugs = [...new Set(cases.slice(0, 3).flatMap((peer) => input.records.get(peer.id)?.methods ?? []))];
  if (slugs.length === 0) return { methods: [], labels: [] };
  const labelOf = (slug: string) => input.context.vocabulary.methods.get(slug)?.label ?? slug;
  const words = slugs.map(labelOf).join(', ');
  const methods = await recommendMethods(input.context, words, input.profile, limit, {
    preferredMethods: new Set(slugs),
    methodsNeedingMention: input.kinds.methodsNeedingMention,
    message: words,
  });
  const used = new Set(methods.flatMap((method) => input.records.get(method.id)?.methods ?? []));
  return {
    methods,
    labels: slugs.filter((slug) => used.has(slug)).map((slug) => labelOf(slug).toLowerCase()),
  };
}

/** Peers for the challenge; cases the kind of challenge names (free municipalities…) come first. */
async function peersFor(input: PlanInput, query: string): Promise<PeerCase[]> {
  const found = await matchPeerCases(
    input.context,
    query,
    input.hardFilters,
    input.profile,
    3,
    input.softFilters,
  );
  const named = input.challengeKinds
    .flatMap(({ kind }) => kind.entries)
    .map((id) => input.records.get(id))
    .filter(
      (entry): entry is EntryRecord => entry?.type === 'case' && !found.some((peer) => peer.id === entry.id),
    )
    .map((entry) => toPeerCase(entry, `Shared ground: ${entry.summary.split(/(?<=\.)\s/)[0]}`));
  return [...named, ...found].slice(0, 3);
}

/** Topics the kind of challenge calls for (barriers, enablers, the Declaration…), not cases. */
export function backgroundFor(input: PlanInput): EntryRecord[] {
  // A topic the message names by more than an acronym ("the toolkit of toolkits") is read first.
  const named = input.named
    .filter((entry) => !entry.acronym && (entry.type === 'topic' || entry.type === 'facet'))
    .map((entry) => entry.id);
  return [...new Set([...named, ...input.challengeKinds.flatMap(({ kind }) => kind.entries)])]
    .map((id) => input.records.get(id))
    .filter((entry): entry is EntryRecord => entry !== undefined && entry.type !== 'case')
    .slice(0, 4);
}

/** "Worth reading first: Barriers to public sector innovation [5]; …" */
export function renderBackground(background: EntryRecord[], citations: CitationList): string[] {
  if (background.length === 0) return [];
  const reading = background.map((entry) => `${entry.title} [${citations.cite(entry)}]`).join('; ');
  return ['', `**Worth reading first:** ${reading}.`];
}
