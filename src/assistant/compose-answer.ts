import type { EntryRecord } from '../indexing/chunking.js';
import { termsOf } from '../indexing/lexical-index.js';
import type { Section } from '../knowledge/schemas.js';
import type { PeerCase, RecommendedMethod, SkillAdvice } from './answer.js';
import type { ChallengeProfile } from './challenge-profile.js';
import type { CitationList } from './citations.js';
import type { PortfolioMap } from './map-portfolio.js';
import { gist, slugWords as label } from '../text/sentences.js';

// Offline wording of each kind of answer. Every entry mentioned gets a [n] marker.

const levelNames: Record<string, string> = {
  national: 'national',
  regional: 'regional',
  local: 'local',
  international: 'international',
};

/** "Estonia, national, 2019" */
export function placeOf(item: { country?: string; level?: string; year?: number | null }): string {
  return [
    item.country,
    item.level ? `${levelNames[item.level] ?? item.level} level` : undefined,
    item.year ?? undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Where the challenge sits on the facets and lifecycle, in one or two sentences. */
export function describeProfile(profile: ChallengeProfile): string {
  const parts: string[] = [];
  if (profile.facets.length > 0) {
    const facets = profile.facets.map((item) => label(item.facet)).join('** and **');
    parts.push(`This looks **${facets}**: ${profile.facets[0]!.reason}.`);
  }
  if (profile.stage)
    parts.push(
      `It sits at the **${label(profile.stage.stage)}** stage of the innovation lifecycle: ` +
        `${profile.stage.reason}.`,
    );
  return parts.join(' ');
}

export function renderPeerCases(
  peers: PeerCase[],
  citations: CitationList,
  records: Map<string, EntryRecord>,
): string[] {
  return peers.map((peer, position) => {
    const marker = citations.cite(records.get(peer.id)!);
    const who = peer.organisation ? ` — ${peer.organisation}` : '';
    return `${position + 1}. **${peer.title}** (${placeOf(peer)})${who}. ${peer.reason} [${marker}]`;
  });
}

export function renderMethods(
  methods: RecommendedMethod[],
  citations: CitationList,
  records: Map<string, EntryRecord>,
): string[] {
  return methods.map((method) => {
    const marker = citations.cite(records.get(method.id)!);
    const publisher = method.publisher ? ` (${method.publisher})` : '';
    return `- **${method.title}**${publisher}: ${method.reason} [${marker}]`;
  });
}

export function renderSkills(
  skills: SkillAdvice[],
  citations: CitationList,
  records: Map<string, EntryRecord>,
): string[] {
  return skills.map((skill) => {
    const marker = citations.cite(records.get(skill.id)!);
    const toolkits = skill.toolkits.map(
      (toolkit) => `${toolkit.title} [${citations.cite(records.get(toolkit.id)!)}]`,
    );
    const start = toolkits.length > 0 ? ` To build it, start with ${toolkits.join(' or ')}.` : '';
    return `- **${skill.title}** [${marker}]: ${skill.reason}${start}`;
  });
}

/**
 * The section of an entry that shares most words with the question, when one clearly does. Words of
 * the entry's title say which entry, not which section, so they do not count; a word in a heading
 * counts twice.
 */
export function bestSection(question: string, sections: Section[], title = ''): Section | undefined {
  const ofTitle = new Set(termsOf(title));
  const wanted = new Set(termsOf(question).filter((term) => !ofTitle.has(term)));
  const shared = (text: string) => new Set(termsOf(text).filter((term) => wanted.has(term))).size;
  let best: { section: Section; score: number } | undefined;
  for (const section of sections) {
    if (!section.heading) continue;
    const score = shared(`${section.heading} ${section.text}`) + shared(section.heading);
    if (!best || score > best.score) best = { section, score };
  }
  return best && best.score >= 2 ? best.section : undefined;
}

/**
 * A direct answer from the best entries: the top one's summary and most relevant section, the next
 * ones in a line.
 */
export function renderDirectAnswer(
  question: string,
  entries: EntryRecord[],
  citations: CitationList,
  sectionsOf: (id: string) => Section[],
): string[] {
  const [top, ...rest] = entries;
  if (!top) return [];
  const marker = citations.cite(top);
  const place = top.country ? ` (${placeOf(top)})` : '';
  const summary = top.summary.replace(/\s+/g, ' ').trim();
  const lines = [`**${top.title}**${place}: ${summary} [${marker}]`];
  const section = bestSection(question, sectionsOf(top.id), top.title);
  if (section) {
    const text =
      section.text.length > 900
        ? `${section.text.slice(0, section.text.lastIndexOf(' ', 900))}…`
        : section.text;
    lines.push('', `**${section.heading}**`, text, '');
  }
  if (rest.length > 0) {
    lines.push('', 'Also relevant:');
    for (const entry of rest) {
      const place = entry.country ? ` (${placeOf(entry)})` : '';
      const oneLine = gist(entry.summary);
      lines.push(`- **${entry.title}**${place}: ${oneLine} [${citations.cite(entry)}]`);
    }
  }
  return lines;
}

export function renderPortfolio(
  map: PortfolioMap,
  citations: CitationList,
  records: Map<string, EntryRecord>,
): string[] {
  const lines = [
    '| project | facet | why |',
    '|---|---|---|',
    ...map.placements.map(
      (placement) =>
        `| ${placement.project.replace(/\|/g, '/')} | ${label(placement.facet)} | ${placement.reason} |`,
    ),
  ];
  const balance = Object.entries(map.counts)
    .map(([facet, count]) => `${label(facet)} ${count}`)
    .join(', ');
  lines.push('', `**Balance:** ${balance}.`);
  if (map.missing.length === 0)
    lines.push(
      'Every facet is covered. Check whether the balance matches your strategy: ' +
        'OPSI advises a deliberate portfolio across all four.',
    );
  else {
    lines.push(
      `**Gaps:** nothing ${map.missing.map(label).join(', nothing ')}. ` +
        'A portfolio across all four facets hedges against challenges you cannot predict.',
    );
    for (const method of map.suggestions) {
      const gap = method.facets.find((facet) => map.missing.includes(facet as never)) ?? method.facets[0];
      const marker = citations.cite(records.get(method.id)!);
      lines.push(`- To start on ${label(gap ?? '')}: **${method.title}** — ${method.reason} [${marker}]`);
    }
  }
  return lines;
}
