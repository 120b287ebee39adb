import type { Finding, ReportFinding } from "../types.js";
import { buildLineRedactor, keepLine, type LineRedactor } from "./line-redactor.js";

/** How much of each secret to hide: 0 shows everything (only with --no-redact), 100 hides all. */
export type RedactPercent = number;

export const DEFAULT_REDACT_PERCENT = 80;
/** However long the key, never show more than this much of it. */
const MAX_VISIBLE = 12;
/** Lines are cut around the secret so a minified file does not flood the report. */
const LINE_CONTEXT = 60;
/** What redactSecret puts in place of the whole secret, and after the prefix it shows. */
const FULLY_REDACTED = "REDACTED";
const REDACTED_TAIL = "*****";

export function redactSecret(secret: string, percent: RedactPercent): string {
  if (percent <= 0) return secret;
  if (percent >= 100) return FULLY_REDACTED;
  const visible = Math.min(MAX_VISIBLE, Math.floor((secret.length * (100 - percent)) / 100));
  return `${secret.slice(0, visible)}${REDACTED_TAIL}`;
}

/** True for what redactSecret returns at any percent above 0. */
export function isRedacted(secret: string): boolean {
  return secret === FULLY_REDACTED || secret.endsWith(REDACTED_TAIL);
}

/**
 * Cuts a long line to LINE_CONTEXT characters either side of text[start, end) (the finding's
 * own secret, redacted or not), so a minified file does not flood the report.
 */
function clipAround(text: string, start: number, end: number): string {
  if (end - start + 2 * LINE_CONTEXT >= text.length) return text;
  const from = Math.max(0, start - LINE_CONTEXT);
  const to = Math.min(text.length, end + LINE_CONTEXT);
  return `${from > 0 ? "…" : ""}${text.slice(from, to)}${to < text.length ? "…" : ""}`;
}

/**
 * The encoded run a secret was found in, in its raw line: such a finding has the place of the
 * whole run (see scanEncoded in engine/detector.ts), and a run holds no line break.
 */
function encodedRunSpan(finding: Finding): { start: number; end: number } | undefined {
  const shown = (finding.lineTextColumn ?? 1) - 1;
  return finding.encoding && finding.endLine === finding.line
    ? { start: finding.column - 1 - shown, end: finding.endColumn - 1 - shown }
    : undefined;
}

/**
 * The lines of a secret that spans several (a private key), each long enough to give something
 * away: a report shows one line of text, and the secret never stands whole in it.
 */
export function secretLines(secret: string): string[] {
  if (!/[\r\n]/.test(secret)) return [secret];
  return secret.split(/\r?\n|\r/).filter((line) => line.trim().length >= 4);
}

/** Where a finding's own secret, or the encoded run that shows it, stands in its raw line. */
function ownSpan(finding: Finding): { start: number; end: number } {
  const encoded = encodedRunSpan(finding);
  if (encoded) return encoded;
  const start = finding.column - (finding.lineTextColumn ?? 1);
  // A secret of several lines shows its first line here.
  const shown = finding.secret.split(/\r?\n|\r/, 1)[0]!;
  if (finding.lineText.startsWith(shown, start)) return { start, end: start + shown.length };
  const at = Math.max(0, finding.lineText.indexOf(shown));
  return { start: at, end: at + shown.length };
}

/**
 * What a finding adds to its report's texts to hide: the secret (each of its lines, when it has
 * several), its companion, and for a secret found inside encoded text the encoded run, which
 * decodes straight back to it.
 */
function textsToHide(finding: Finding): string[] {
  const texts = secretLines(finding.secret);
  if (finding.companion) texts.push(...secretLines(finding.companion.secret));
  const encoded = encodedRunSpan(finding);
  if (encoded) texts.push(finding.lineText.slice(encoded.start, encoded.end));
  return texts;
}

/**
 * Hides, in any line, every secret of `findings` in the style of --redact `percent`: a line
 * with two keys shows neither, whichever finding it is printed for.
 */
export function lineRedactorFor(
  findings: readonly Finding[],
  percent: RedactPercent,
): LineRedactor {
  if (percent <= 0) return keepLine;
  return buildLineRedactor(findings.flatMap(textsToHide), (text) => redactSecret(text, percent));
}

/**
 * All findings of one report, redacted together (see lineRedactorFor). `alsoHide`: findings not
 * reported (suppressed, dropped by --verify) whose secrets may share a line with reported ones.
 */
export function toReportFindings(
  findings: readonly Finding[],
  percent: RedactPercent,
  remediationOf: (finding: Finding) => string,
  alsoHide: readonly Finding[] = [],
): ReportFinding[] {
  const redactLine = lineRedactorFor([...findings, ...alsoHide], percent);
  return findings.map((finding) =>
    toReportFinding(finding, percent, remediationOf(finding), redactLine),
  );
}

/**
 * The only way from a Finding to what reporters see. Every field that may hold the secret
 * (the secret, the line, a companion secret on the line) is redacted here, inside the pipeline,
 * so no reporter can leak it by mistake. `redactLine` hides the other secrets of the report
 * too: pass one from lineRedactorFor over all its findings (toReportFindings does).
 */
export function toReportFinding(
  finding: Finding,
  percent: RedactPercent,
  remediation: string,
  redactLine: LineRedactor = lineRedactorFor([finding], percent),
): ReportFinding {
  const redacted = redactSecret(finding.secret, percent);
  const line = redactLine(finding.lineText);
  const own = ownSpan(finding);
  const start = line.place(own.start).start;
  const end = own.end > own.start ? line.place(own.end - 1).end : start;
  return {
    ruleId: finding.ruleId,
    title: finding.title,
    provider: finding.provider,
    severity: finding.severity,
    tags: finding.tags,
    path: finding.path,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    secret: redacted,
    lineText: clipAround(line.text, start, end),
    ...(finding.companion
      ? {
          companion: {
            ...finding.companion,
            secret: redactSecret(finding.companion.secret, percent),
          },
        }
      : {}),
    metadata: finding.metadata,
    entropy: finding.entropy,
    fingerprint: finding.fingerprint,
    ...(finding.encoding ? { encoding: finding.encoding } : {}),
    ...(finding.checksumValid !== undefined ? { checksumValid: finding.checksumValid } : {}),
    ...(finding.git
      ? {
          commit: finding.git.commit,
          ...(finding.git.ref ? { ref: finding.git.ref } : {}),
          author: finding.git.author,
          email: finding.git.email,
          date: finding.git.date,
        }
      : {}),
    ...(finding.occurrences ? { occurrences: finding.occurrences } : {}),
    // A provider's answer can quote the key it was sent ("invalid token xoxb-…").
    ...(finding.verification
      ? { verification: withDetailRedacted(finding.verification, redactLine) }
      : {}),
    ...(finding.revocation
      ? { revocation: withDetailRedacted(finding.revocation, redactLine) }
      : {}),
    remediation,
  };
}

/** A verification or revocation whose detail (a provider's words) hides the report's secrets. */
export function withDetailRedacted<T extends { readonly detail: string }>(
  outcome: T,
  redactLine: LineRedactor,
): T {
  const detail = redactLine(outcome.detail).text;
  return detail === outcome.detail ? outcome : { ...outcome, detail };
}
