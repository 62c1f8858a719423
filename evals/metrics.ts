/** Share of the relevant entries found in the top k. */
export function recallAt(ranked: string[], relevant: Set<string>, k: number): number {
  if (relevant.size === 0) return 0;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

/** Reciprocal rank of the first relevant entry within the top k (0 when none). */
export function reciprocalRankAt(ranked: string[], relevant: Set<string>, k: number): number {
  const position = ranked.slice(0, k).findIndex((id) => relevant.has(id));
  return position === -1 ? 0 : 1 / (position + 1);
}

/** Normalised discounted cumulative gain with binary relevance. */
export function ndcgAt(ranked: string[], relevant: Set<string>, k: number): number {
  let gain = 0;
  ranked.slice(0, k).forEach((id, position) => {
    if (relevant.has(id)) gain += 1 / Math.log2(position + 2);
  });
  let ideal = 0;
  for (let position = 0; position < Math.min(relevant.size, k); position += 1)
    ideal += 1 / Math.log2(position + 2);
  return ideal === 0 ? 0 : gain / ideal;
}

export const mean = (values: number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

/** The value below which `share` of the sorted values fall. */
export function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? 0;
}
