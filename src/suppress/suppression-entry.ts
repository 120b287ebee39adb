import { builtinEquivalents, isGenericGitleaksRule } from "../config/gitleaks-rule-ids.js";
/**
 * One entry of an ignore file (.keywardenignore, .gitleaksignore) or a baseline, and the test
 * whether a finding falls under it. Three forms:
 *
 *   <fingerprint>                   content-based: rule id + secret hash, survives rebases and moves
 *   <path>:<fingerprint>            the same, only in that file
 *   [<commit>:]<path>:<rule>:<line> gitleaks style, tied to a commit and a line (does not survive)
 */

/** What an entry is matched against: the parts of a finding it can name. */
export interface SuppressibleFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly line: number;
  readonly fingerprint: string;
  readonly commit?: string;
  /** The raw secret (in memory only), for entries of a gitleaks report that record theirs. */
  readonly secret?: string;
}

export type SuppressionEntry =
  | { readonly kind: "fingerprint"; readonly fingerprint: string; readonly path?: string }
  | {
      readonly kind: "location";
      readonly commit?: string;
      readonly path: string;
      readonly ruleId: string;
      readonly line: number;
      /**
       * The secret a gitleaks report recorded for it (`Secret`, maybe redacted): an entry of a
       * catch-all rule then names only a finding of that secret.
       */
      readonly secret?: string;
    };

/** The engine's fingerprints: 32 lowercase hex characters (see engine/fingerprint.ts). */
const FINGERPRINT = /^[0-9a-f]{32}$/;
const COMMIT = /^[0-9a-f]{7,64}$/;
const LINE_NUMBER = /^[1-9][0-9]*$/;

export function isFingerprint(text: string): boolean {
  return FINGERPRINT.test(text);
}

/** Repository paths as the sources write them: POSIX separators, no leading `./`. */
export function normalizeEntryPath(path: string): string {
  let out = path.replace(/\\/g, "/");
  while (out.startsWith("./")) out = out.slice(2);
  return out;
}

/**
 * Parses the entry part of a line (comment and reason already removed). Returns an error text
 * instead of throwing so callers can name the file and line.
 */
export function parseSuppressionEntry(text: string): SuppressionEntry | { readonly error: string } {
  const entry = text.trim();
  if (entry.length === 0) return { error: "empty entry" };
  if (isFingerprint(entry)) return { kind: "fingerprint", fingerprint: entry };

  const parts = entry.split(":");
  const last = parts[parts.length - 1]!;
  if (parts.length >= 2 && isFingerprint(last)) {
    const path = normalizeEntryPath(parts.slice(0, -1).join(":"));
    if (path.length === 0) return { error: `no path before the fingerprint in "${entry}"` };
    return { kind: "fingerprint", fingerprint: last, path };
  }
  if (parts.length >= 3 && LINE_NUMBER.test(last)) {
    const ruleId = parts[parts.length - 2]!;
    // A leading hex word is a commit only when a path still follows it.
    const hasCommit = parts.length >= 4 && COMMIT.test(parts[0]!);
    const pathParts = parts.slice(hasCommit ? 1 : 0, -2);
    const path = normalizeEntryPath(pathParts.join(":"));
    if (ruleId.length === 0 || path.length === 0) {
      return { error: `"${entry}" is not <commit>:<path>:<rule>:<line>` };
    }
    return {
      kind: "location",
      ...(hasCommit ? { commit: parts[0]! } : {}),
      path,
      ruleId,
      line: Number(last),
    };
  }
  return {
    error: `"${entry}" is neither a fingerprint (32 hex characters), <path>:<fingerprint>, nor <commit>:<path>:<rule>:<line>`,
  };
}

/**
 * Whether an entry's path names a finding's path. Exactly, as both are read from one folder (an
 * ignore file's entries, and the findings rebased to its folder: see applySuppressions), since
 * `.env` must not also name `config/.env`. An entry that climbs out of its folder was written
 * from somewhere else (gitleaks writes `../testdata/repos/nogit/api.go` from where it ran), so
 * it names the file it ends with. A gitleaks report used as a baseline was written wherever
 * gitleaks ran, so there one path may end with the other at a `/` (`loose`).
 */
function samePath(entryPath: string, findingPath: string, loose: boolean): boolean {
  const written = normalizeEntryPath(entryPath);
  const path = normalizeEntryPath(findingPath);
  if (written === path) return true;
  const entry = written.replace(/^(?:\.\.\/)+/, "");
  if (loose) return entry.endsWith(`/${path}`) || path.endsWith(`/${entry}`);
  return entry !== written && written.endsWith(`/${path}`);
}

/**
 * A rule id in an entry names a finding's rule: its own id, or a gitleaks id for the rule. A
 * gitleaks catch-all id names any rule: gitleaks calls a key it has no rule for (a Together AI
 * key) `generic-api-key` where keywarden names the provider.
 */
function sameRule(entryRule: string, findingRule: string): boolean {
  return (
    entryRule === findingRule ||
    builtinEquivalents(entryRule).includes(findingRule) ||
    isGenericGitleaksRule(entryRule)
  );
}

/**
 * Whether the secret a gitleaks report recorded is the finding's: the same, or one holding the
 * other (the two rules may take a little more or less of the value). gitleaks' --redact writes
 * `REDACTED`, or a prefix and `...`, which are read as far as they go.
 */
function sameSecret(recorded: string, secret: string | undefined): boolean {
  if (secret === undefined || recorded === "REDACTED") return true;
  if (recorded.endsWith("...")) return secret.startsWith(recorded.slice(0, -3));
  return recorded === secret || recorded.includes(secret) || secret.includes(recorded);
}

export function entryMatches(
  entry: SuppressionEntry,
  finding: SuppressibleFinding,
  loosePaths = false,
): boolean {
  if (entry.kind === "fingerprint") {
    if (entry.fingerprint !== finding.fingerprint) return false;
    return entry.path === undefined || samePath(entry.path, finding.path, loosePaths);
  }
  if (!sameRule(entry.ruleId, finding.ruleId) || entry.line !== finding.line) return false;
  if (!samePath(entry.path, finding.path, loosePaths)) return false;
  if (entry.secret !== undefined && isGenericGitleaksRule(entry.ruleId)) {
    if (!sameSecret(entry.secret, finding.secret)) return false;
  }
  if (entry.commit === undefined) return true;
  // An entry made by a history scan names a commit: it never matches content outside git.
  return finding.commit?.startsWith(entry.commit) ?? false;
}

/** The entry written back in its one canonical form. */
export function formatSuppressionEntry(entry: SuppressionEntry): string {
  if (entry.kind === "fingerprint")
    return entry.path ? `${entry.path}:${entry.fingerprint}` : entry.fingerprint;
  return `${entry.commit ? `${entry.commit}:` : ""}${entry.path}:${entry.ruleId}:${entry.line}`;
}
