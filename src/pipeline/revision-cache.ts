import type { ScanRecord } from "../engine/detector.js";

/**
 * The scan records of recent blobs, for scanning their revisions by what changed. Least
 * recently used first out, within a budget of text characters, so a history of any size holds
 * at most that much.
 */
export class RevisionCache {
  private readonly records = new Map<string, ScanRecord>();
  private held = 0;

  constructor(private readonly budget: number) {}

  get(sha: string): ScanRecord | undefined {
    const record = this.records.get(sha);
    if (record) {
      // Used again: to the back of the eviction order.
      this.records.delete(sha);
      this.records.set(sha, record);
    }
    return record;
  }

  /** No later blob builds on this one: its room goes to others. */
  delete(sha: string): void {
    const record = this.records.get(sha);
    if (!record) return;
    this.records.delete(sha);
    this.held -= record.text.length;
  }

  set(sha: string, record: ScanRecord): void {
    if (record.text.length > this.budget || this.records.has(sha)) return;
    this.records.set(sha, record);
    this.held += record.text.length;
    for (const [oldest, evicted] of this.records) {
      if (this.held <= this.budget) break;
      this.records.delete(oldest);
      this.held -= evicted.text.length;
    }
  }
}
