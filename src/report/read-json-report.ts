import { findEncodedText } from "../engine/decode.js";
import { ConfigError } from "../errors.js";
import type { ReportFinding, ScanSummary } from "../types.js";
import * as z from "../zod-mini.js";
import { buildLineRedactor } from "./line-redactor.js";
import { isRedacted, redactSecret, secretLines, withDetailRedacted } from "./redact.js";

/**
 * A saved JSON report (`--format json`) read back, so `keywarden report` can render it in
 * another format. Findings a report holds in full (made with --no-redact) are redacted again
 * here unless the user asks for them in full once more.
 */

const verificationSchema = z.object({
  status: z.enum(["live", "live-restricted", "invalid", "rate-limited", "unknown", "unsupported"]),
  httpStatus: z.optional(z.number()),
  checkedAt: z.string(),
  detail: z.string(),
});

const revocationSchema = z.object({
  status: z.enum(["planned", "revoked", "revoke-failed", "manual", "skipped"]),
  mechanism: z.enum(["self", "admin", "github", "manual"]),
  detail: z.string(),
  url: z.optional(z.string()),
  httpStatus: z.optional(z.number()),
});

const nonEmpty = z.nonEmptyString;
const lineNumber = () => z.int().check(z.minimum(1));

const findingSchema = z.object({
  ruleId: nonEmpty(),
  title: z._default(z.string(), ""),
  provider: z._default(z.string(), "unknown"),
  severity: z._default(z.enum(["critical", "high", "medium", "low", "info"]), "high"),
  tags: z._default(z.array(z.string()), []),
  path: nonEmpty(),
  line: lineNumber(),
  column: z._default(lineNumber(), 1),
  endLine: z.optional(lineNumber()),
  endColumn: z.optional(lineNumber()),
  secret: z.string(),
  lineText: z._default(z.string(), ""),
  companion: z.optional(z.object({ ruleId: z.string(), secret: z.string(), line: z.number() })),
  metadata: z._default(z.record(z.string(), z.string()), {}),
  entropy: z._default(z.number(), 0),
  fingerprint: nonEmpty(),
  encoding: z.optional(z.enum(["base64", "percent", "backslash"])),
  checksumValid: z.optional(z.boolean()),
  // verify and revoke hand it to git: a commit id and nothing else.
  commit: z.optional(z.string().check(z.regex(/^[0-9a-f]{4,64}$/i, "not a commit id"))),
  ref: z.optional(z.string()),
  author: z.optional(z.string()),
  email: z.optional(z.string()),
  date: z.optional(z.string()),
  occurrences: z.optional(
    z.array(
      z.object({
        path: z.string(),
        line: z.number(),
        commit: z.optional(z.string()),
        date: z.optional(z.string()),
      }),
    ),
  ),
  verification: z.optional(verificationSchema),
  revocation: z.optional(revocationSchema),
  remediation: z._default(z.string(), ""),
});

const reportSchema = z.object({
  version: z.literal(1),
  tool: z.optional(z.object({ name: z.string(), version: z.string() })),
  findings: z.array(findingSchema),
  summary: z.optional(
    z.object({
      source: z._default(z.enum(["files", "stdin", "staged", "history", "range"]), "files"),
      scannedFragments: z._default(z.number(), 0),
      scannedBytes: z._default(z.number(), 0),
      skipped: z._default(
        z.array(
          z.object({
            path: z.string(),
            reason: z.enum([
              "binary",
              "too-large",
              "unreadable",
              "lfs-pointer",
              "missing-object",
              "symlink",
              "not-a-file",
              "line-cut",
              "rule-overflow",
            ]),
            detail: z.optional(z.string()),
            wholeScan: z.optional(z.literal(true)),
          }),
        ),
        [],
      ),
    }),
  ),
});

export interface SavedReport {
  readonly findings: ReportFinding[];
  readonly summary: ScanSummary;
  readonly tool?: { readonly name: string; readonly version: string };
}

/** The encoded runs of a line that decode, at any depth, to text holding the secret. */
function encodedRunsHolding(line: string, secret: string): string[] {
  const holds = (text: string): boolean =>
    text.includes(secret) || findEncodedText(text).some((span) => holds(span.decoded));
  return findEncodedText(line)
    .filter((span) => holds(span.decoded))
    .map((span) => line.slice(span.start, span.end));
}

/**
 * What a --no-redact report holds in full: each secret (each of its lines), its companion, and
 * for a secret found inside encoded text the encoded run in its line. The report keeps only part
 * of each line, so the run is found by decoding, not by its column.
 */
function textsToHide(finding: ReportFinding): string[] {
  if (isRedacted(finding.secret)) return [];
  return [
    ...secretLines(finding.secret),
    ...(finding.companion ? secretLines(finding.companion.secret) : []),
    ...(finding.encoding ? encodedRunsHolding(finding.lineText, finding.secret) : []),
  ];
}

/**
 * Redacts the findings a --no-redact report holds in full: their secrets and companions, and
 * every one of the report's secrets wherever it stands in any finding's line or in a provider's
 * answer quoted in a verification or revocation.
 */
export function redactAgain(findings: readonly ReportFinding[], percent: number): ReportFinding[] {
  const hidden = percent > 0 ? findings.flatMap(textsToHide) : [];
  if (hidden.length === 0) return [...findings];
  const redactLine = buildLineRedactor(hidden, (text) => redactSecret(text, percent));
  return findings.map((finding) => {
    const lineText = redactLine(finding.lineText).text;
    const outcomes = {
      ...(finding.verification
        ? { verification: withDetailRedacted(finding.verification, redactLine) }
        : {}),
      ...(finding.revocation
        ? { revocation: withDetailRedacted(finding.revocation, redactLine) }
        : {}),
    };
    if (isRedacted(finding.secret)) return { ...finding, lineText, ...outcomes };
    const companion = finding.companion;
    return {
      ...finding,
      secret: redactSecret(finding.secret, percent),
      lineText,
      ...outcomes,
      ...(companion
        ? { companion: { ...companion, secret: redactSecret(companion.secret, percent) } }
        : {}),
    };
  });
}

export function readJsonReport(text: string, file: string, redactPercent: number): SavedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${file}: not JSON (${(error as Error).message}); expected a report made with --format json`,
      file,
    );
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `${file}: not a keywarden JSON report (at ${issue.path.join(".") || "the top"}: ${issue.message}); make one with --format json`,
      file,
    );
  }
  const report = parsed.data;
  const findings = redactAgain(
    report.findings.map(
      (finding) =>
        ({
          ...finding,
          endLine: finding.endLine ?? finding.line,
          endColumn: finding.endColumn ?? finding.column + 1,
        }) as ReportFinding,
    ),
    redactPercent,
  );
  const summary: ScanSummary = {
    source: report.summary?.source ?? "files",
    scannedFragments: report.summary?.scannedFragments ?? 0,
    scannedBytes: report.summary?.scannedBytes ?? 0,
    skipped: report.summary?.skipped ?? [],
    durationMs: 0,
  };
  return { findings, summary, ...(report.tool ? { tool: report.tool } : {}) };
}
