import type { ResolvedConfig } from "../config/load-config.js";
import { createDetector } from "../engine/detector.js";
import type { Finding, Fragment, ScanSummary, SkipNotice } from "../types.js";
import { RevisionCache } from "./revision-cache.js";

/**
 * Texts of recent history blobs kept to scan their next versions by what changed: 64 M
 * characters, about the working tree of a large repository's most edited files.
 */
const REVISION_BUDGET = 64 * 1024 * 1024;

export interface RunScanOptions {
  readonly fragments: AsyncIterable<Fragment>;
  readonly config: ResolvedConfig;
  readonly source: ScanSummary["source"];
  /** Skips the source reported while producing fragments (filled by the source as it goes). */
  readonly skipped: readonly SkipNotice[];
  /** Called after each fragment, for progress displays. */
  readonly onFragment?: (fragment: Fragment) => void;
}

export interface ScanResult {
  readonly findings: Finding[];
  readonly summary: ScanSummary;
}

function secretKey(finding: Finding): string {
  return `${finding.ruleId}\0${finding.secret}`;
}

/** What any of these blobs held from before the selected commits (undefined: nothing). */
function heldInAny(
  blobs: readonly string[],
  heldBefore: ReadonlyMap<string, ReadonlySet<string>>,
): ReadonlySet<string> | undefined {
  const held = blobs.flatMap((blob) => [...(heldBefore.get(blob) ?? [])]);
  return held.length > 0 ? new Set(held) : undefined;
}

/** Sources → engine: every fragment through the detector, findings and counts collected. */
export async function runScan(options: RunScanOptions): Promise<ScanResult> {
  // Date.now, not performance.now: Node sets up the performance global on its first use, about
  // 2 ms of the pre-commit hook's run, and whole milliseconds are all the report shows.
  const started = Date.now();
  /** Fragments a rule could not search to the end: the scan is incomplete there. */
  const overflows: SkipNotice[] = [];
  const detector = createDetector(options.config.rules, {
    globalAllow: options.config.allow,
    maxDecodeDepth: options.config.decodeDepth,
    onRuleOverflow: (fragment, ruleIds) => {
      const where = fragment.git?.commit ? ` in ${fragment.git.commit.slice(0, 12)}` : "";
      overflows.push({
        path: fragment.path,
        reason: "rule-overflow",
        detail: `${ruleIds.join(", ")}${where}`,
      });
    },
  });
  const revisions = new RevisionCache(REVISION_BUDGET);
  /**
   * For blobs read as bases (BlobRevision.baseOnly) and the revisions built on them: the
   * secrets the base already held, which are not new in any of them.
   */
  const heldBefore = new Map<string, ReadonlySet<string>>();
  const findings: Finding[] = [];
  let scannedFragments = 0;
  let scannedBytes = 0;
  for await (const fragment of options.fragments) {
    let found: Finding[];
    if (fragment.blob) {
      const { sha, previous, revisedLater = true, previousRevisedLater = true } = fragment.blob;
      const base = previous === undefined ? undefined : revisions.get(previous);
      const scanned = detector.detectRevision(fragment, base);
      // Only scans a later blob will build on are kept: about one text per path, not all.
      if (previous !== undefined && !previousRevisedLater) revisions.delete(previous);
      if (revisedLater) revisions.set(sha, scanned.record);
      found = scanned.findings;
      const held = fragment.blob.baseOnly
        ? new Set(found.map(secretKey))
        : fragment.blob.mergedFrom
          ? heldInAny(fragment.blob.mergedFrom, heldBefore)
          : previous === undefined
            ? undefined
            : heldBefore.get(previous);
      if (held) {
        heldBefore.set(sha, held);
        found = found.filter((finding) => !held.has(secretKey(finding)));
      }
      if (fragment.blob.baseOnly) continue;
    } else {
      found = detector.detect(fragment);
    }
    scannedFragments++;
    scannedBytes += fragment.text.length - (fragment.readAgainChars ?? 0);
    for (const finding of found) findings.push(finding);
    options.onFragment?.(fragment);
  }
  return {
    findings,
    summary: {
      source: options.source,
      scannedFragments,
      scannedBytes,
      skipped: overflows.length > 0 ? [...options.skipped, ...overflows] : options.skipped,
      durationMs: Date.now() - started,
    },
  };
}
