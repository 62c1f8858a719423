import type { Chunk, EntryRecord } from '../../src/indexing/chunking.js';

/** A small deterministic random generator, so every bench run sees the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `size` passages made from the real knowledge base: each is a real passage with a third of its
 * words swapped for words of other passages, grouped five to an entry with real metadata.
 */
export function syntheticCorpus(
  realChunks: Chunk[],
  realRecords: EntryRecord[],
  size: number,
): { chunks: Chunk[]; records: EntryRecord[] } {
  const random = seededRandom(size);
  const words = realChunks.flatMap((chunk) => chunk.text.split(/\s+/));
  const chunks: Chunk[] = [];
  const records: EntryRecord[] = [];
  for (let row = 0; row < size; row += 1) {
    const entryNumber = Math.floor(row / 5);
    if (row % 5 === 0) {
      const template = realRecords[entryNumber % realRecords.length]!;
      records.push({
        ...template,
        id: `synthetic-${entryNumber}`,
        title: `${template.title} (${entryNumber})`,
      });
    }
    const source = realChunks[row % realChunks.length]!;
    const text = source.text
      .split(/\s+/)
      .map((word) => (random() < 1 / 3 ? words[Math.floor(random() * words.length)]! : word))
      .join(' ');
    chunks.push({
      entryId: `synthetic-${entryNumber}`,
      heading: source.heading,
      text,
      tags: source.tags,
      embeddingText: `${source.heading}. ${text}`,
    });
  }
  return { chunks, records };
}
