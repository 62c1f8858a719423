/**
 * Keys seen recently, forgotten after a while and capped in number: how the adapter recognises a
 * delivery it has already handled (Slack retries an event for up to about five minutes).
 */
export class RecentKeys {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly ttlMillis = 60 * 60 * 1000,
    private readonly maxKeys = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const seen = this.seenAt.get(key);
    if (seen === undefined) return false;
    if (this.now() - seen > this.ttlMillis) {
      this.seenAt.delete(key);
      return false;
    }
    return true;
  }

  add(key: string): void {
    this.seenAt.delete(key);
    this.seenAt.set(key, this.now());
    while (this.seenAt.size > this.maxKeys) this.seenAt.delete(this.seenAt.keys().next().value as string);
  }

  /** True the first time any of the keys is seen; then remembers all of them. */
  firstTime(...keys: (string | undefined)[]): boolean {
    const present = keys.filter((key): key is string => key !== undefined);
    const fresh = !present.some((key) => this.has(key));
    for (const key of present) this.add(key);
    return fresh;
  }
}
