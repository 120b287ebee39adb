import type { Readable } from "node:stream";
import { loadConfig, type ResolvedConfig } from "../config/load-config.js";
import { isLive, needsAttention } from "../finding-status.js";
import { plural } from "../report/format.js";
import { lineRedactorFor, toReportFinding, withDetailRedacted } from "../report/redact.js";
import { REPORTERS } from "../report/registry.js";
import { readReportToRecheck } from "../sources/report-file.js";
import { type ToolInfo, userAgent } from "../tool-info.js";
import type { Finding, ReportFinding, ScanSummary } from "../types.js";
import { recoverSecrets } from "../verify/recover-secrets.js";
import { type RevokeStageSettings, runRevokeStage } from "./run-revoke-stage.js";

/**
 * `keywarden revoke [REPORT.json]`: the keys of an earlier JSON report (each secret read again
 * from its recorded place, as `keywarden verify` does) or of a scan the command ran (with the
 * usual suppressions); then the revocation stage; then the report with every finding's
 * `revocation`. Returns the report text and the exit code; the command writes them.
 */

/** Findings of a scan the command already ran (after baseline and ignore files). */
export interface ScannedFindings {
  readonly findings: readonly Finding[];
  readonly summary: ScanSummary;
  readonly config: ResolvedConfig;
}

export interface ExecuteRevokeRequest {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  readonly stderr: { write(text: string): void };
  /** A JSON report to read the keys from, or the findings of a scan. */
  readonly source: { readonly report: string } | { readonly scanned: ScannedFindings };
  readonly configPath?: string;
  readonly ruleFiles: readonly string[];
  readonly format: string;
  readonly redactPercent: number;
  readonly color: boolean;
  /** --fail-on: any key left to deal with fails (default), only live ones, or nothing. */
  readonly failOn: "any" | "live" | "none";
  readonly settings: RevokeStageSettings;
  readonly tool: ToolInfo;
}

export interface ExecuteRevokeResult {
  readonly report: string;
  readonly exitCode: 0 | 1;
  /** Lines for stderr: what the run did and where it was logged. */
  readonly notes: readonly string[];
}

interface Collected {
  readonly findings: Finding[];
  /** Report entries whose secret could not be found again, with why. */
  readonly missing: { readonly report: ReportFinding; readonly reason: string }[];
  /** The report's own record of each recovered finding (keeps its location and redaction). */
  readonly records: Map<Finding, ReportFinding>;
  readonly summary: ScanSummary;
}

async function fromReport(
  request: ExecuteRevokeRequest,
  file: string,
  config: ResolvedConfig,
): Promise<Collected> {
  const { saved, shown } = readReportToRecheck(request.cwd, file, request.redactPercent);
  const recovered = await recoverSecrets(saved.findings, {
    cwd: request.cwd,
    env: request.env,
    config,
    fromIndex: saved.summary.source === "staged",
    fromStdin: saved.summary.source === "stdin",
  });
  const findings: Finding[] = [];
  const missing: Collected["missing"] = [];
  const records = new Map<Finding, ReportFinding>();
  for (const item of recovered) {
    if ("finding" in item) {
      findings.push(item.finding);
      records.set(item.finding, shown(item.report));
    } else {
      missing.push({ report: shown(item.report), reason: item.missing });
    }
  }
  return { findings, missing, records, summary: saved.summary };
}

function fromScan(scanned: ScannedFindings): Collected {
  return {
    findings: [...scanned.findings],
    missing: [],
    records: new Map(),
    summary: scanned.summary,
  };
}

function describeRun(
  findings: readonly Finding[],
  mode: RevokeStageSettings["mode"],
  auditLog: string,
): string[] {
  const keys = (status: string) =>
    new Set(findings.filter((f) => f.revocation?.status === status).map((f) => f.fingerprint)).size;
  const notes: string[] = [];
  if (mode === "dry-run") {
    const planned = keys("planned");
    if (planned > 0)
      notes.push(
        `Dry run: nothing was revoked. Run again with --yes to revoke ${plural(planned, "key")}.`,
      );
  } else {
    const failed = keys("revoke-failed");
    const manual = keys("manual");
    const parts = [
      `${plural(keys("revoked"), "key")} revoked`,
      ...(failed > 0 ? [`${failed} failed`] : []),
      ...(manual > 0 ? [`${manual} to revoke by hand`] : []),
    ];
    notes.push(`${parts.join(", ")}.`);
  }
  notes.push(`Audit log: ${auditLog}`);
  return notes;
}

export async function executeRevoke(request: ExecuteRevokeRequest): Promise<ExecuteRevokeResult> {
  const { source } = request;
  const config =
    "scanned" in source
      ? source.scanned.config
      : await loadConfig({
          cwd: request.cwd,
          scanRoot: request.cwd,
          ruleFiles: request.ruleFiles,
          ...(request.configPath !== undefined ? { configPath: request.configPath } : {}),
        });
  const collected =
    "scanned" in source
      ? fromScan(source.scanned)
      : await fromReport(request, source.report, config);

  const stage = await runRevokeStage({
    findings: collected.findings,
    rules: config.rules,
    settings: request.settings,
    cwd: request.cwd,
    env: request.env,
    stdin: request.stdin,
    prompt: request.stderr,
    userAgent: userAgent(request.tool),
  });

  const remediation = new Map(config.rules.map((rule) => [rule.id, rule.remediation]));
  const checkedAt = new Date().toISOString();
  // Each line hides every key found, not only its finding's own.
  const redactLine = lineRedactorFor(stage.findings, request.redactPercent);
  const reported: ReportFinding[] = [
    ...stage.findings.map((finding, index) => {
      const record = collected.records.get(collected.findings[index]!);
      if (!record)
        return toReportFinding(
          finding,
          request.redactPercent,
          remediation.get(finding.ruleId) ?? "",
          redactLine,
        );
      // Keep the report's own record (location, commit); refresh the verdicts, whose details
      // may quote the key.
      return {
        ...record,
        ...(finding.verification
          ? { verification: withDetailRedacted(finding.verification, redactLine) }
          : {}),
        ...(finding.revocation
          ? { revocation: withDetailRedacted(finding.revocation, redactLine) }
          : {}),
      };
    }),
    ...collected.missing.map(
      ({ report, reason }): ReportFinding => ({
        ...report,
        verification: { status: "unknown", checkedAt, detail: reason },
        revocation: {
          status: "skipped",
          mechanism: "manual",
          detail: `${reason}; nothing was revoked`,
        },
      }),
    ),
  ];

  const reporter = await REPORTERS[request.format]!();
  const report = reporter({
    findings: reported,
    summary: collected.summary,
    tool: request.tool,
    color: request.color,
  });
  const attention =
    request.failOn === "live"
      ? stage.findings.some((f) => needsAttention(f) && isLive(f))
      : stage.findings.some(needsAttention) || collected.missing.length > 0;
  return {
    report,
    exitCode: attention && request.failOn !== "none" ? 1 : 0,
    notes: describeRun(stage.findings, request.settings.mode, stage.auditLog),
  };
}
