import { writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { Readable } from "node:stream";
import type { CliIo } from "../cli/io.js";
import { describeSkips, describeUnread, UNREAD_REASONS } from "../cli/skip-notices.js";
import { failOnExitCode, VERIFY_OFF, type VerifyCliOptions } from "../cli/verify-options.js";
import type { CompiledRule } from "../config/compile-rules.js";
import { GitError, isKeywardenError, RuntimeError, UsageError } from "../errors.js";
import { isLive } from "../finding-status.js";
import { runGit } from "../git/run-git.js";
import { makeFoldersAt, reasonOf, whyNotWritable } from "../make-folders.js";
import { COMMAND, formatGithub } from "../report/github.js";
import { DEFAULT_REDACT_PERCENT, lineRedactorFor, toReportFinding } from "../report/redact.js";
import { formatSarif } from "../report/sarif.js";
import { toolInfo, userAgent } from "../tool-info.js";
import type { Finding, ReportFinding, ScanSummary } from "../types.js";
import { commentOnPullRequest } from "./comment-on-pull-request.js";
import { type CommentsOutcome, jobSummary } from "./job-summary.js";
import { addedLinesOfChange, linesAtCommit, locateFindings } from "./locate-in-diff.js";
import { planScan } from "./plan-scan.js";
import { type GithubContext, readGithubContext } from "./read-event.js";
import { type ActionInputs, readActionInputs } from "./read-inputs.js";
import { type ResolvedTarget, resolveTarget } from "./resolve-target.js";
import { scanChange } from "./scan-change.js";
import type { ReportedLine } from "./sync-comments.js";
import { readTrustedConfig } from "./trusted-config.js";
import { addMasks, annotation, appendRunnerFile, group, outputEntry } from "./workflow-commands.js";

/**
 * The GitHub Action: event → what to scan → trusted config → scan → (verify, revoke) → masks,
 * annotations, SARIF, pull-request comments, job summary, outputs → exit code. Returns the exit
 * code; only the entry file hands it to the process.
 */

interface Outcome {
  readonly findings: readonly Finding[];
  readonly live: number;
  readonly exitCode: number;
  readonly sarifFile?: string;
}

async function repositoryRoot(io: CliIo): Promise<string> {
  try {
    return (await runGit(["rev-parse", "--show-toplevel"], { cwd: io.cwd, env: io.env })).trim();
  } catch (error) {
    if (error instanceof GitError) {
      throw new GitError(
        `${io.cwd} is not a git repository: run actions/checkout (with fetch-depth: 0) before keywarden`,
        error.command,
        error.stderr,
      );
    }
    throw error;
  }
}

function writeOutputs(env: CliIo["env"], outcome: Outcome): void {
  appendRunnerFile(
    env.GITHUB_OUTPUT,
    [
      outputEntry("findings", String(outcome.findings.length)),
      outputEntry("live", String(outcome.live)),
      outputEntry("sarif-file", outcome.sarifFile ?? ""),
      outputEntry("exit-code", String(outcome.exitCode)),
    ].join(""),
  );
}

function writeSarif(
  io: CliIo,
  file: string,
  findings: readonly ReportFinding[],
  summary: ScanSummary,
  github: GithubContext,
  resolved: ResolvedTarget,
): void {
  const sarif = formatSarif({
    findings,
    summary,
    tool: toolInfo(),
    color: false,
    repository: {
      uri: `${github.serverUrl}/${github.owner}/${github.repo}`,
      ...((resolved.change?.head ?? github.sha)
        ? { revision: resolved.change?.head ?? github.sha }
        : {}),
      ...(resolved.branch ? { branch: resolved.branch } : {}),
    },
  });
  const path = resolve(io.cwd, file);
  try {
    makeFoldersAt(dirname(path));
    writeFileSync(path, sarif);
  } catch (error) {
    throw new RuntimeError(
      `input sarif-file ${file}: cannot write the SARIF file (${reasonOf(error)})`,
    );
  }
}

function verifyOptionsOf(inputs: ActionInputs): VerifyCliOptions {
  return { ...VERIFY_OFF, enabled: inputs.verify, failOn: inputs.failOn };
}

async function revokeIfAsked(
  inputs: ActionInputs,
  findings: Finding[],
  rules: readonly CompiledRule[],
  root: string,
  io: CliIo,
  notes: string[],
): Promise<Finding[]> {
  if (!inputs.revoke || findings.length === 0) return findings;
  const { runRevokeStage } = await import("../revoke/run-revoke-stage.js");
  const run = await runRevokeStage({
    findings,
    rules,
    settings: {
      mode: inputs.revokeConfirm ? "execute" : "dry-run",
      force: false,
      trustConfig: false,
      endpoints: [],
      timeoutMs: 10_000,
      concurrency: 8,
      ratePerHost: 10,
      confirmWaitMs: 10_000,
    },
    cwd: root,
    env: io.env,
    stdin: io.stdin,
    prompt: { write: (text) => notes.push(text.trim()) },
    userAgent: userAgent(),
  });
  notes.push(`revocation audit log: ${relative(io.cwd, run.auditLog) || run.auditLog}`);
  return run.findings;
}

async function runSteps(io: CliIo): Promise<number> {
  const { env } = io;
  const inputs = readActionInputs(env);
  // Before the scan, the annotations and the comments: a run that cannot write its SARIF fails whole.
  const sarifProblem = inputs.sarifFile && whyNotWritable(io.cwd, inputs.sarifFile);
  if (sarifProblem) {
    throw new UsageError(
      `input sarif-file ${inputs.sarifFile}: cannot write the SARIF file (${sarifProblem})`,
    );
  }
  const github = readGithubContext(env);
  // Nothing is printed before the secrets are masked: notes wait here until then.
  const notes: string[] = [];
  const onNote = (text: string) => notes.push(text);
  const root = await repositoryRoot(io);
  const plan = planScan(github.event, inputs.scan);
  const resolved = await resolveTarget(plan, { cwd: root, env, onNote });
  const trusted = await readTrustedConfig({
    cwd: io.cwd,
    env,
    root,
    ...(resolved.configCommit !== undefined ? { commit: resolved.configCommit } : {}),
    ...(resolved.configFromBase && resolved.change
      ? { head: resolved.change.head, commitLabel: "base commit" }
      : { commitLabel: "the scanned commit" }),
    ...(inputs.config !== undefined ? { configInput: inputs.config } : {}),
  });
  if (trusted.changedFiles.length > 0) {
    notes.push(
      `this change edits ${trusted.changedFiles.join(", ")}: the scan used the version of the base commit; the edits apply once merged`,
    );
  }

  const held: string[] = [];
  const holding = { write: (text: string) => void held.push(text), isTTY: false };
  const scanIo: CliIo = { ...io, stdout: holding, stderr: holding };
  const verify = verifyOptionsOf(inputs);
  const scan =
    plan.kind === "nothing"
      ? undefined
      : await scanChange({
          io: scanIo,
          root,
          ...(resolved.target ? { target: resolved.target } : {}),
          trusted,
          // Revocation verifies every key itself, right before it plans.
          verify: { ...verify, enabled: verify.enabled && !inputs.revoke },
          onNote,
        });
  let findings = scan?.findings ?? [];
  const rules = scan?.config.rules ?? [];
  findings = await revokeIfAsked(inputs, findings, rules, root, scanIo, notes);

  // The runner masks the token itself; the keys found are for us to register.
  addMasks(io.stdout, [
    ...[...findings, ...(scan?.allowedInline ?? [])].flatMap((finding) => [
      finding.secret,
      ...(finding.companion ? [finding.companion.secret] : []),
    ]),
  ]);

  const remediation = new Map(rules.map((rule) => [rule.id, rule.remediation]));
  const percent = inputs.redact ? DEFAULT_REDACT_PERCENT : 0;
  // Each line hides every key found, not only its finding's own.
  const redactLine = lineRedactorFor([...findings, ...(scan?.allowedInline ?? [])], percent);
  const toReport = (finding: Finding) =>
    toReportFinding(finding, percent, remediation.get(finding.ruleId) ?? "", redactLine);
  const located = resolved.change
    ? locateFindings(
        findings,
        await addedLinesOfChange(resolved.change.base, resolved.change.head, { cwd: root, env }),
      )
    : undefined;
  // Redacted once, at each finding's place in the change: annotations, SARIF, comments and the
  // job summary all show these.
  const leakingLines: ReportedLine[] = (located?.lines ?? []).map((line) => ({
    path: line.path,
    line: line.line,
    findings: line.findings.map(toReport),
  }));
  const outside = (located?.outside ?? []).map(toReport);
  const reported = located
    ? [...leakingLines.flatMap((line) => line.findings), ...outside]
    : findings.map(toReport);
  const summary: ScanSummary = scan?.summary ?? {
    source: "range",
    scannedFragments: 0,
    scannedBytes: 0,
    skipped: [],
    durationMs: 0,
  };

  // A scan that could not read part of the change (a shallow checkout that could not be
  // deepened) is no clean result, whatever it found: exit code 2, as `keywarden history` gives.
  const unread = summary.skipped.filter((skip) => UNREAD_REASONS.has(skip.reason));
  const incomplete = unread.length > 0 ? describeUnread(unread) : undefined;

  if (scan && scan.allowedInline.length > 0) {
    notes.push(
      `${scan.allowedInline.length} finding(s) allowed by an inline comment (keywarden:allow, gitleaks:allow, ggignore, a detect-secrets pragma) were not reported: ${[...new Set(scan.allowedInline.map((f) => `${f.path}:${f.line}`))].slice(0, 10).join(", ")}`,
    );
  }
  notes.push(...describeSkips(summary.skipped, false));

  const title = group(`keywarden: ${resolved.scanned}; ${trusted.description}`);
  io.stdout.write(title.start);
  for (const note of notes) io.stdout.write(`${note}\n`);
  for (const text of held) io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  io.stdout.write(title.end);
  // Asked for by name and not there: said aloud, as a missing file is on other events (exit 2).
  if (trusted.configMissing)
    io.stdout.write(annotation("warning", `keywarden: ${trusted.description}`));
  // Text left unread could hold a key (a change padded past maxFileSize): said on the file,
  // not only inside the collapsed log group.
  for (const skip of summary.skipped) {
    if (skip.reason !== "too-large" && !UNREAD_REASONS.has(skip.reason)) continue;
    io.stdout.write(
      annotation(
        "warning",
        `keywarden: not scanned: ${skip.path}${skip.detail ? ` (${skip.detail})` : ""}`,
        skip.wholeScan ? {} : { file: skip.path, title: "Not scanned for secrets" },
      ),
    );
  }
  // A key the change added and removed again is on no line of the head: an annotation there
  // would mark whatever text the line holds now. It is named in the message instead. A scan of
  // the whole history has no change: its keys are placed on the checked-out commit, which the
  // runner shows the annotations on, the same way.
  const inCheckout =
    located || findings.length === 0
      ? undefined
      : locateFindings(
          findings,
          await linesAtCommit(
            "HEAD",
            [
              ...new Set(
                findings.flatMap((f) => [f.path, ...(f.occurrences ?? []).map((o) => o.path)]),
              ),
            ],
            { cwd: root, env },
          ),
        );
  const annotated = located
    ? leakingLines.flatMap((line) => line.findings)
    : inCheckout
      ? inCheckout.lines.flatMap((line) => line.findings.map(toReport))
      : reported;
  io.stdout.write(formatGithub({ findings: annotated, summary, tool: toolInfo(), color: false }));
  const gone = located ? outside : (inCheckout?.outside ?? []).map(toReport);
  for (const finding of gone) {
    const where = `${finding.path}:${finding.line}${finding.commit ? ` in commit ${finding.commit.slice(0, 12)}` : ""}`;
    const state = located
      ? "no longer in the head but still in the branch's history"
      : "not in the checked-out commit but in the history";
    io.stdout.write(
      annotation(
        COMMAND[finding.severity],
        `Secret ${finding.secret} at ${where}, ${state}. ${finding.remediation} Fingerprint: ${finding.fingerprint}`,
        { title: `${finding.title} (${finding.ruleId})` },
      ),
    );
  }

  if (inputs.sarifFile) writeSarif(io, inputs.sarifFile, reported, summary, github, resolved);

  const pullRequest = github.event.pullRequest;
  const comments: CommentsOutcome | undefined =
    pullRequest && located
      ? await commentOnPullRequest({
          enabled: inputs.comment,
          token: inputs.githubToken,
          apiUrl: github.apiUrl,
          owner: github.owner,
          repo: github.repo,
          pullRequest,
          lines: leakingLines,
          outside,
          total: findings.length,
          complete: incomplete === undefined,
          userAgent: userAgent(),
          stdout: io.stdout,
        })
      : undefined;

  const live = findings.filter(isLive).length;
  const exitCode = incomplete ? 2 : failOnExitCode(findings, verify);
  if (incomplete) {
    io.stdout.write(
      annotation(
        "error",
        `keywarden: incomplete scan: ${incomplete} (see the warnings); exit code 2`,
      ),
    );
  }
  // Only the revoke stage sets a revocation: with revoke off there are none.
  const revocations = dedupeByFingerprint(reported.filter((f) => f.revocation));
  appendRunnerFile(
    env.GITHUB_STEP_SUMMARY,
    jobSummary({
      scanned: resolved.scanned,
      configDescription: trusted.description,
      findings: reported,
      total: findings.length,
      live,
      failOn: inputs.failOn,
      exitCode,
      ...(incomplete ? { incomplete } : {}),
      ...(comments ? { comments } : {}),
      notes,
      ...(inputs.revoke ? { revokeMode: inputs.revokeConfirm ? "execute" : "dry-run" } : {}),
      revocations,
    }),
  );
  writeOutputs(env, {
    findings,
    live,
    exitCode,
    ...(inputs.sarifFile ? { sarifFile: inputs.sarifFile } : {}),
  });
  const found =
    findings.length === 0
      ? "no secrets found"
      : `${findings.length} secret(s) found${inputs.verify || inputs.revoke ? `, ${live} live` : ""}`;
  const verdict = incomplete ? `incomplete scan (${incomplete}), ${found}` : found;
  io.stdout.write(
    `keywarden: ${verdict} in ${resolved.scanned} (fail-on: ${inputs.failOn}, exit code ${exitCode})\n`,
  );
  return exitCode;
}

function dedupeByFingerprint(findings: readonly ReportFinding[]): ReportFinding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    if (seen.has(finding.fingerprint)) return false;
    seen.add(finding.fingerprint);
    return true;
  });
}

/** Runs the Action; any error becomes one `::error::` line, output exit-code 2 and exit code 2. */
export async function runAction(io: CliIo): Promise<number> {
  try {
    return await runSteps(io);
  } catch (error) {
    const known = isKeywardenError(error);
    const message = error instanceof Error ? error.message : String(error);
    io.stdout.write(annotation("error", `keywarden: ${known ? "" : "internal error: "}${message}`));
    if (!known && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    try {
      appendRunnerFile(io.env.GITHUB_OUTPUT, outputEntry("exit-code", "2"));
    } catch {
      // The error above is what matters.
    }
    return 2;
  }
}

export function runActionFromProcess(): Promise<number> {
  return runAction({
    cwd: process.cwd(),
    env: process.env,
    // The Action never prompts: revocation is a dry run or confirmed by input.
    stdin: Readable.from([]),
    stdout: { write: (text) => void process.stdout.write(text), isTTY: false },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: false },
  });
}
