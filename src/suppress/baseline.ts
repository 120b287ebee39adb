import { ConfigError } from "../errors.js";
import type { Finding } from "../types.js";
import * as z from "../zod-mini.js";
import {
  isFingerprint,
  parseSuppressionEntry,
  type SuppressionEntry,
} from "./suppression-entry.js";

/**
 * `.keywarden-baseline.json`: the findings a team has accepted for now, so a scan reports only
 * new ones. Stable by construction: entries sorted, no timestamp unless asked, no secret (only
 * the fingerprint, a one-way hash), so creating it twice on the same tree gives the same bytes.
 */

export const BASELINE_FILE_NAME = ".keywarden-baseline.json";
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly path: string;
  readonly line: number;
  readonly commit?: string;
}

export interface Baseline {
  readonly fingerprints: ReadonlySet<string>;
  /** Entries of a gitleaks report used as a baseline: tied to commit, path and line. */
  readonly locations: readonly SuppressionEntry[];
  /**
   * A detect-secrets baseline's secrets: by file, the SHA-1 of each secret it holds, as
   * detect-secrets records them (`hashed_secret`). Absent for other baselines.
   */
  readonly hashedSecrets?: ReadonlyMap<string, ReadonlySet<string>>;
  /** The baseline file's folder: detect-secrets writes its paths from where it ran, there. */
  readonly folder?: string;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const text = (x: string | undefined, y: string | undefined) =>
    (x ?? "") < (y ?? "") ? -1 : (x ?? "") > (y ?? "") ? 1 : 0;
  return (
    text(a.path, b.path) ||
    a.line - b.line ||
    text(a.ruleId, b.ruleId) ||
    text(a.fingerprint, b.fingerprint) ||
    text(a.commit, b.commit)
  );
}

/** The baseline file's text for these findings. `createdAt` only when the user asks for it. */
export function createBaseline(
  findings: readonly Finding[],
  options: { createdAt?: string } = {},
): string {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const finding of findings) {
    // Keys in a fixed order: JSON.stringify keeps insertion order, so the bytes stay the same.
    const entry: BaselineEntry = {
      fingerprint: finding.fingerprint,
      ruleId: finding.ruleId,
      path: finding.path,
      line: finding.line,
      ...(finding.git ? { commit: finding.git.commit } : {}),
    };
    const key = JSON.stringify(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push(entry);
  }
  entries.sort(compareEntries);
  const file = {
    version: BASELINE_VERSION,
    tool: "keywarden",
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    findings: entries,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** keywarden baselines and keywarden JSON reports: both list findings with a fingerprint. */
const keywardenSchema = z.object({
  version: z.optional(z.int()),
  findings: z.array(
    z.object({
      fingerprint: z.string().check(z.refine(isFingerprint, "not a keywarden fingerprint")),
    }),
  ),
});

/** A gitleaks JSON report, which gitleaks teams use as their baseline. */
const gitleaksSchema = z.array(
  z.object({ Fingerprint: z.nonEmptyString(), Secret: z.optional(z.string()) }),
);

/** A detect-secrets `.secrets.baseline`: its results, by file. */
const detectSecretsSchema = z.object({
  plugins_used: z.array(z.unknown()),
  results: z.record(z.string(), z.array(z.object({ hashed_secret: z.string() }))),
});

/**
 * Reads a baseline: a keywarden baseline, a keywarden JSON report, a gitleaks JSON report, or
 * a detect-secrets baseline.
 */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: baseline is not JSON (${(error as Error).message})`, file);
  }
  const ours = keywardenSchema.safeParse(data);
  if (ours.success) {
    // Baselines and JSON reports are both at version 1; another was written by another keywarden.
    const { version } = ours.data;
    if (version !== undefined && version !== BASELINE_VERSION)
      throw new ConfigError(
        `${file}: baseline version ${version}, and this keywarden reads version ${BASELINE_VERSION}`,
        file,
      );
    return { fingerprints: new Set(ours.data.findings.map((f) => f.fingerprint)), locations: [] };
  }
  const theirs = gitleaksSchema.safeParse(data);
  if (theirs.success) {
    const locations: SuppressionEntry[] = [];
    theirs.data.forEach((finding, index) => {
      const parsed = parseSuppressionEntry(finding.Fingerprint);
      if ("error" in parsed)
        throw new ConfigError(`${file}: finding ${index}: Fingerprint ${parsed.error}`, file);
      // The secret tells which finding a catch-all entry (generic-api-key) was about.
      locations.push(
        parsed.kind === "location" && finding.Secret
          ? { ...parsed, secret: finding.Secret }
          : parsed,
      );
    });
    return { fingerprints: new Set(), locations };
  }
  const detectSecrets = detectSecretsSchema.safeParse(data);
  if (detectSecrets.success) {
    const hashedSecrets = new Map<string, Set<string>>();
    for (const [path, secrets] of Object.entries(detectSecrets.data.results)) {
      hashedSecrets.set(
        path.replace(/^\.\//, ""),
        new Set(secrets.map((secret) => secret.hashed_secret.toLowerCase())),
      );
    }
    return { fingerprints: new Set(), locations: [], hashedSecrets };
  }
  const issue = ours.error.issues[0];
  const where = issue ? `${issue.path.join(".") || "(top)"}: ${issue.message}` : "unknown layout";
  throw new ConfigError(
    `${file}: not a baseline (expected {"findings": [{"fingerprint": ...}]} as written by keywarden baseline create; ${where})`,
    file,
  );
}
