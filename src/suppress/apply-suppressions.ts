import { relative, resolve } from "node:path";
import { hexDigest } from "../lazy-crypto.js";
import { toPosix } from "../posix-path.js";
import type { Finding } from "../types.js";
// Types only: baseline.ts holds the schemas, loaded only when a baseline is given.
import type { Baseline } from "./baseline.js";
import type { IgnoreFileEntry } from "./ignore-file.js";
import {
  entryMatches,
  formatSuppressionEntry,
  type SuppressibleFinding,
} from "./suppression-entry.js";

/** Everything that can hide a finding, already read and parsed. */
export interface Suppressions {
  /** Entries of .keywardenignore and .gitleaksignore, in file order. */
  readonly ignore: readonly IgnoreFileEntry[];
  readonly baseline?: Baseline;
}

export interface SuppressedFinding {
  readonly finding: Finding;
  readonly by: "ignore-file" | "baseline";
  /** The ignore entry that matched (for ignore-file). */
  readonly entry?: IgnoreFileEntry;
}

export interface SuppressionResult {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  /** Ignore entries that matched no finding of this scan: candidates for removal. */
  readonly unused: IgnoreFileEntry[];
}

export function suppressibleOf(finding: Finding): SuppressibleFinding {
  return {
    ruleId: finding.ruleId,
    path: finding.path,
    line: finding.line,
    fingerprint: finding.fingerprint,
    secret: finding.secret,
    ...(finding.git ? { commit: finding.git.commit } : {}),
  };
}

/**
 * Drops findings named by an ignore entry or present in the baseline. Every ignore entry is
 * checked against every finding (not just until the first match) so that usage is exact:
 * an entry is unused only when it matched nothing at all.
 *
 * `pathsFrom`: the folder the findings' paths are relative to (the current folder for a files
 * scan, the repository's top for git sources). An entry's path is relative to its ignore file's
 * folder, so each finding's path is read from there before the two are compared.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: Suppressions,
  pathsFrom?: string,
): SuppressionResult {
  const used = new Set<IgnoreFileEntry>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const target = suppressibleOf(finding);
    // Entries share one or two folders: each finding's path is worked out once per folder.
    const fromFolder = new Map<string, SuppressibleFinding>();
    const seenFrom = (base: string | undefined): SuppressibleFinding => {
      if (base === undefined || pathsFrom === undefined) return target;
      let rebased = fromFolder.get(base);
      if (!rebased) {
        rebased = { ...target, path: toPosix(relative(base, resolve(pathsFrom, target.path))) };
        fromFolder.set(base, rebased);
      }
      return rebased;
    };
    let firstMatch: IgnoreFileEntry | undefined;
    for (const entry of suppressions.ignore) {
      if (entryMatches(entry.entry, seenFrom(entry.base))) {
        used.add(entry);
        firstMatch ??= entry;
      }
    }
    if (firstMatch) {
      suppressed.push({ finding, by: "ignore-file", entry: firstMatch });
      continue;
    }
    const baseline = suppressions.baseline;
    if (
      baseline &&
      (baseline.fingerprints.has(finding.fingerprint) ||
        baseline.locations.some((entry) => entryMatches(entry, target, true)) ||
        (baseline.hashedSecrets !== undefined &&
          inHashedSecrets(baseline.hashedSecrets, seenFrom(baseline.folder).path, finding.secret)))
    ) {
      suppressed.push({ finding, by: "baseline" });
      continue;
    }
    kept.push(finding);
  }
  return {
    findings: kept,
    suppressed,
    unused: suppressions.ignore.filter((entry) => !used.has(entry)),
  };
}

/**
 * Whether a detect-secrets baseline holds the secret in the file at `path` (from the baseline's
 * folder). detect-secrets ties a secret to its file, not its line, as a baseline of later scans
 * does.
 */
function inHashedSecrets(
  hashed: ReadonlyMap<string, ReadonlySet<string>>,
  path: string,
  secret: string,
): boolean {
  const inFile = hashed.get(path.replace(/^\.\//, ""));
  return inFile?.has(hexDigest("sha1", secret)) === true;
}

/** One line per unused entry, for stderr: where it is, what it says, and why it was kept. */
export function describeUnusedEntries(unused: readonly IgnoreFileEntry[]): string {
  return unused
    .map(
      (entry) =>
        `keywarden: ${entry.file}:${entry.line}: unused ignore entry ${formatSuppressionEntry(entry.entry)} matched nothing in this scan${entry.reason ? ` (reason: ${entry.reason})` : ""}\n`,
    )
    .join("");
}
