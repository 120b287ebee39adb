/**
 * The records the pipeline stages exchange: sources produce Fragments, the engine turns them
 * into Findings, later stages add verification and revocation, reporters print ReportFindings.
 * Plain readonly data: no methods, no presentation.
 */

export type Severity = "critical" | "high" | "medium" | "low" | "info";

/** Where a piece of git content came from. */
export interface GitProvenance {
  readonly commit: string;
  readonly author: string;
  readonly email: string;
  /** ISO 8601 author date. */
  readonly date: string;
  readonly message?: string;
  /**
   * The ref that names this content when no commit does (a tag of a blob or a tree): `commit`
   * is then the object that ref names, the tag's or the tree's, and author and date are the
   * tagger's (empty for a lightweight tag).
   */
  readonly ref?: string;
}

/** Where a commit adds a blob. */
export interface BlobPlace {
  readonly path: string;
  readonly git: GitProvenance;
}

/** One more place a secret was seen, for history scans (the finding keeps the first). */
export interface Occurrence {
  readonly path: string;
  readonly line: number;
  readonly commit?: string;
  readonly date?: string;
}

/** A piece of text plus where it came from. Sources only produce these. */
export interface Fragment {
  readonly text: string;
  /** Repository-relative POSIX path, or a label such as `<stdin>`. */
  readonly path: string;
  /** 1-based line number of the first line of `text` in the file. */
  readonly startLine: number;
  /**
   * 1-based column at which `text` starts on its first line, for a piece of a line too long to
   * hold whole (stdin); default 1.
   */
  readonly startColumn?: number;
  /**
   * How many characters at the start of `text` an earlier fragment of the stream also held
   * (the lines stdin reads again before a piece): scanned, not counted again as scanned.
   */
  readonly readAgainChars?: number;
  /**
   * For sources whose lines are not contiguous (added lines of a diff): the file line number of
   * each line of `text`, by 0-based line index. When present it wins over `startLine`.
   */
  readonly lineNumbers?: readonly number[];
  /**
   * File line numbers of lines given only as context (a diff's unchanged lines around what it
   * adds): rules read them, no finding is reported on them.
   */
  readonly contextOnly?: ReadonlySet<number>;
  /**
   * The same told the other way, for a text mostly of context (a file read whole around the
   * lines a commit adds): the file line numbers findings may be on; every other line is
   * context only. Wins over `contextOnly`.
   */
  readonly reportedLines?: ReadonlySet<number>;
  /**
   * The path rule and allowlist globs match, when not `path`: a working-tree file's path from
   * the config's folder, while `path` is shown from where the scan was run.
   */
  readonly globPath?: string;
  readonly git?: GitProvenance;
  /**
   * For a whole blob of history: its object name, and the blob it revises at the same path
   * when there is one, so the engine can scan it by what changed.
   */
  readonly blob?: BlobRevision;
}

export interface BlobRevision {
  readonly sha: string;
  readonly previous?: string;
  /**
   * False when the source knows no later blob of the scan revises this one, so its scan need
   * not be kept; unknown (absent) counts as true.
   */
  readonly revisedLater?: boolean;
  /** The same for `previous`, now that this blob has used it. */
  readonly previousRevisedLater?: boolean;
  /**
   * For a merge's blob in a walk cut short (see baseOnly): its parents' blobs at its path.
   * What they held before the selected commits is not new in the merge either.
   */
  readonly mergedFrom?: readonly string[];
  /**
   * Read only as the base of a later blob: it comes from before the commits selected
   * (`--since`, `--max-count`), so what it holds is not new, and what its revisions keep of
   * it is not either.
   */
  readonly baseOnly?: boolean;
}

export type VerificationStatus =
  | "live"
  | "live-restricted"
  | "invalid"
  | "rate-limited"
  | "unknown"
  | "unsupported";

export interface Verification {
  readonly status: VerificationStatus;
  readonly httpStatus?: number;
  /** ISO 8601 time of the provider's answer. */
  readonly checkedAt: string;
  readonly detail: string;
}

export type RevocationStatus = "planned" | "revoked" | "revoke-failed" | "manual" | "skipped";
export type RevocationMechanism = "self" | "admin" | "github" | "manual";

export interface Revocation {
  readonly status: RevocationStatus;
  readonly mechanism: RevocationMechanism;
  readonly detail: string;
  /** Dashboard address for manual items. */
  readonly url?: string;
  readonly httpStatus?: number;
}

/** A second secret a rule needs beside its own (AWS secret key beside its key id). */
export interface Companion {
  readonly ruleId: string;
  readonly secret: string;
  readonly line: number;
}

/**
 * A rule hit. `secret`, `match` and `lineText` are raw and stay in memory: reporters only
 * ever see the redacted ReportFinding built from it.
 */
export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly provider: string;
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly path: string;
  /** 1-based line and column of the first character of the secret. */
  readonly line: number;
  readonly column: number;
  /** 1-based line and column just past the last character of the secret (SARIF convention). */
  readonly endLine: number;
  readonly endColumn: number;
  readonly secret: string;
  readonly match: string;
  readonly lineText: string;
  /**
   * The column of `lineText`'s first character when it is only the part of the line a fragment
   * held (see Fragment.startColumn); absent: 1, the whole line.
   */
  readonly lineTextColumn?: number;
  /**
   * For a finding over several lines, the text of its last line (`endLine`): an inline allow
   * comment may stand there, after a private key's END line. Stays in memory, as `lineText`.
   */
  readonly endLineText?: string;
  /**
   * The text of the line above the finding's first one, when the scanned text held it (a diff's
   * context line included): a comment there may allow the next line (detect-secrets' nextline
   * pragma). Stays in memory, as `lineText`.
   */
  readonly lineAbove?: string;
  /** Named groups of the rule's pattern other than the secret (e.g. the numeric id of a key). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly entropy: number;
  /** Hash of rule id + secret: stable when the line moves. */
  readonly fingerprint: string;
  /** Set when the secret was found inside encoded text; the location is that of the encoded text. */
  readonly encoding?: Encoding;
  /** True when a format checksum (GitHub, npm CRC32) holds: more confidence, never a filter. */
  readonly checksumValid?: boolean;
  readonly companion?: Companion;
  /**
   * For a two-part key checked as a pair (an AWS key id and its secret): the other half its
   * verification was made with. Set by the verify stage, for revocation; never reported.
   */
  readonly pairedWith?: Companion;
  readonly git?: GitProvenance;
  /** The history blob it was found in: other commits may add the same blob again. */
  readonly blob?: string;
  readonly occurrences?: readonly Occurrence[];
  readonly verification?: Verification;
  readonly revocation?: Revocation;
}

/** How the text a secret was found in had been encoded. */
export type Encoding = "base64" | "percent" | "backslash";

/** What reporters get: a Finding with every secret-bearing field redacted. */
export interface ReportFinding {
  readonly ruleId: string;
  readonly title: string;
  readonly provider: string;
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly secret: string;
  readonly lineText: string;
  /** The second secret a rule with `requires` found beside this one, redacted as `secret` is. */
  readonly companion?: Companion;
  readonly metadata: Readonly<Record<string, string>>;
  readonly entropy: number;
  readonly fingerprint: string;
  readonly encoding?: Encoding;
  readonly checksumValid?: boolean;
  readonly commit?: string;
  /** For content a tag names without a commit: the tag's ref (see GitProvenance). */
  readonly ref?: string;
  readonly author?: string;
  readonly email?: string;
  readonly date?: string;
  readonly occurrences?: readonly Occurrence[];
  readonly verification?: Verification;
  readonly revocation?: Revocation;
  /** One line telling a person what to do about this kind of key. */
  readonly remediation: string;
}

/** Something the scan passed over, reported rather than silent. */
export interface SkipNotice {
  readonly path: string;
  readonly reason:
    | "binary"
    | "too-large"
    | "unreadable"
    | "lfs-pointer"
    | "missing-object"
    | "symlink"
    | "not-a-file"
    /** A line too long to hold whole, read in pieces: a key across a cut may be missed. */
    | "line-cut"
    /** A rule's regex ran out of backtracking stack on the text: its keys there may be missed. */
    | "rule-overflow";
  readonly detail?: string;
  /** About the scan as a whole, not one file: `path` is then a label, `(history)` or `(range)`. */
  readonly wholeScan?: true;
}

/** Everything a reporter needs besides findings. */
export interface ScanSummary {
  readonly source: "files" | "stdin" | "staged" | "history" | "range";
  readonly scannedFragments: number;
  readonly scannedBytes: number;
  readonly skipped: readonly SkipNotice[];
  readonly durationMs: number;
}
