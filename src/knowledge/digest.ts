import type { DigestPeriod, DigestSubscription, EntryHashes } from '../store/channel-state.js';
import { entryHashesOf } from './entry-hashes.js';
import { entryTypes, primaryUrlOf, type EntryType, type KnowledgeEntry } from './schemas.js';

// A channel's digest of the knowledge base: the entries added or changed since the channel was last
// told (its subscription's entry hashes), each with its title, type, one line and its own primary
// link. Channel-agnostic: Slack and Teams render the result in their own markup.

export type DigestChange = 'added' | 'changed';

export interface DigestItem {
  id: string;
  title: string;
  type: EntryType;
  /** The summary's first sentence, shortened. */
  line: string;
  /** The entry's primary link (a toolkit's own URL, else its first source); never made up. */
  url?: string;
  change: DigestChange;
}

export interface KnowledgeDigest {
  period: DigestPeriod;
  /** The first digest after subscribing also says what the library holds. */
  first: boolean;
  /** Entries in the library now, by type; given on the first digest only. */
  holdings?: { total: number; byType: Partial<Record<EntryType, number>> };
  /** What is new or changed, added first; at most `maxItems`. */
  items: DigestItem[];
  /** New or changed entries left out to keep the digest short. */
  moreCount: number;
  /** What the channel knows once this digest is posted: keep it on the subscription. */
  entryHashes: EntryHashes;
}

export interface ComposeDigestOptions {
  first: boolean;
  /** Default 10: a digest is a short message, not a catalogue. */
  maxItems?: number;
}

const lineLength = 160;

/**
 * Compares the entries with what the subscription was last told. An entry missing now (removed,
 * or skipped for an error) keeps its old hash, so it is not announced again if it comes back
 * unchanged. A subscription without hashes (made before migration 4) starts from the library now.
 */
export function composeDigest(
  entries: readonly KnowledgeEntry[],
  subscription: Pick<DigestSubscription, 'period' | 'entryHashes'>,
  options: ComposeDigestOptions,
): KnowledgeDigest {
  const current = entryHashesOf(entries);
  const known = subscription.entryHashes ?? current;
  const changes = entries
    .map((entry) => ({ entry, change: changeOf(known[entry.id], entry.contentHash) }))
    .filter((found): found is { entry: KnowledgeEntry; change: DigestChange } => found.change !== undefined)
    .sort(
      (a, b) =>
        Number(a.change === 'changed') - Number(b.change === 'changed') ||
        a.entry.title.localeCompare(b.entry.title),
    );
  const maxItems = options.maxItems ?? 10;
  return {
    period: subscription.period,
    first: options.first,
    holdings: options.first ? holdingsOf(entries) : undefined,
    items: changes.slice(0, maxItems).map(({ entry, change }) => itemOf(entry, change)),
    moreCount: Math.max(0, changes.length - maxItems),
    entryHashes: { ...known, ...current },
  };
}

function changeOf(knownHash: string | undefined, hash: string): DigestChange | undefined {
  if (knownHash === undefined) return 'added';
  return knownHash === hash ? undefined : 'changed';
}

function itemOf(entry: KnowledgeEntry, change: DigestChange): DigestItem {
  return {
    id: entry.id,
    title: entry.title,
    type: entry.type,
    line: firstSentence(entry.summary),
    url: primaryUrlOf(entry),
    change,
  };
}

function holdingsOf(entries: readonly KnowledgeEntry[]): NonNullable<KnowledgeDigest['holdings']> {
  const byType: Partial<Record<EntryType, number>> = {};
  for (const entry of entries) byType[entry.type] = (byType[entry.type] ?? 0) + 1;
  return { total: entries.length, byType };
}

function firstSentence(summary: string): string {
  const text = summary.replace(/\s+/g, ' ').trim();
  const end = text.search(/[.!?](\s|$)/);
  const sentence = end >= 0 ? text.slice(0, end + 1) : text;
  return sentence.length <= lineLength ? sentence : `${sentence.slice(0, lineLength - 1).trimEnd()}…`;
}

const typeNames: Record<EntryType, [string, string]> = {
  case: ['case', 'cases'],
  toolkit: ['toolkit', 'toolkits'],
  skill: ['skill', 'skills'],
  facet: ['facet', 'facets'],
  'lifecycle-stage': ['lifecycle stage', 'lifecycle stages'],
  topic: ['topic', 'topics'],
};

/** "case", "lifecycle stage": how a type is named in a digest. */
export const typeName = (type: EntryType) => typeNames[type][0];

const periodWord: Record<DigestPeriod, string> = { weekly: 'week', monthly: 'month' };

/**
 * The digest's opening sentence, the same in every channel. An empty later digest is this one line
 * and nothing else: the channel sees the subscription is alive and that nothing was missed.
 */
export function digestHeadline(digest: KnowledgeDigest): string {
  const count = digest.items.length + digest.moreCount;
  const changed = count === 1 ? '1 entry was added or changed' : `${count} entries were added or changed`;
  if (digest.first && digest.holdings) {
    const parts = entryTypes
      .filter((type) => digest.holdings!.byType[type])
      .map((type) => {
        const number = digest.holdings!.byType[type]!;
        return `${number} ${typeNames[type][number === 1 ? 0 : 1]}`;
      });
    const holds = `The PSI Navigator library holds ${digest.holdings.total} entries (${parts.join(', ')}).`;
    return count === 0
      ? `${holds} Nothing was added or changed since you subscribed.`
      : `${holds} Since you subscribed, ${changed}:`;
  }
  return count === 0
    ? `Nothing was added to or changed in the PSI Navigator library this ${periodWord[digest.period]}.`
    : `This ${periodWord[digest.period]} in the PSI Navigator library, ${changed}:`;
}
