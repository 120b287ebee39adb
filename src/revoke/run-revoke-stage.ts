import { resolve } from "node:path";
import type { Readable } from "node:stream";
import type { CompiledRule } from "../config/compile-rules.js";
import { loadBuiltinRules } from "../config/load-rules.js";
import { escapeControls } from "../report/escape-controls.js";
import { DEFAULT_REDACT_PERCENT, redactSecret } from "../report/redact.js";
import type { Finding } from "../types.js";
import { checkEndpointNames, parseEndpointOverrides } from "../verify/endpoint-overrides.js";
import { createHttpClient } from "../verify/http-client.js";
import { verifiedServices } from "../verify/run-verify-stage.js";
import { verifyFindings } from "../verify/verify-findings.js";
import { DEFAULT_AUDIT_LOG, openAuditLog } from "./audit-log.js";
import { createConfirmPrompt } from "./confirm-prompt.js";
import type { RevokeTarget } from "./revoker.js";
import { REVOKERS } from "./revoker-registry.js";
import { type RevocationMode, type RevocationRun, runRevocation } from "./run-revocation.js";

/**
 * The revocation stage as the CLI runs it: endpoint overrides from the runner's flags and
 * environment, the shipped rules as the trusted source of verify and revoke blocks, the audit
 * log, and a prompt per key on a terminal. Loaded by dynamic import only by `keywarden revoke`.
 */

export interface RevokeStageSettings {
  readonly mode: RevocationMode;
  readonly force: boolean;
  readonly trustConfig: boolean;
  /** Raw `--endpoint NAME=URL` values. */
  readonly endpoints: readonly string[];
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly ratePerHost: number;
  /** --audit-log, relative to cwd; default .keywarden/revocations.jsonl. */
  readonly auditLog?: string;
  readonly confirmWaitMs: number;
}

export interface RevokeStageInput {
  readonly findings: readonly Finding[];
  readonly rules: readonly CompiledRule[];
  readonly settings: RevokeStageSettings;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  /** Where prompts go (stderr, so a report on stdout stays clean). */
  readonly prompt: { write(text: string): void };
  readonly userAgent: string;
}

export interface RevokeStageResult extends RevocationRun {
  readonly auditLog: string;
}

/** Every service name `--endpoint` may name for revoke: verify services and revokers' hosts. */
function knownServices(rules: readonly CompiledRule[]): Set<string> {
  const services = verifiedServices(rules);
  for (const revoker of REVOKERS) {
    services.add(revoker.service);
    for (const service of Object.keys(revoker.bases)) services.add(service);
  }
  return services;
}

/**
 * The question asked per key on a terminal. The key is redacted, and a path or a provider's
 * words have their control characters escaped: a file named with `ESC[2K` must not rewrite the
 * line the person answers.
 */
export function confirmQuestion(target: RevokeTarget, plan: string): string {
  const first = target.findings[0]!;
  return `Revoke ${escapeControls(target.rule.title)} ${redactSecret(target.secret, DEFAULT_REDACT_PERCENT)} (${escapeControls(first.path)}:${first.line}): ${escapeControls(plan)}?`;
}

export async function runRevokeStage(input: RevokeStageInput): Promise<RevokeStageResult> {
  const { settings } = input;
  const endpoints = parseEndpointOverrides(settings.endpoints, input.env);
  const builtinRules = await loadBuiltinRules();
  checkEndpointNames(
    settings.endpoints,
    input.env,
    knownServices([...builtinRules, ...input.rules]),
    "no rule verifies and no revoker calls a service of that name",
  );
  const http = createHttpClient({ userAgent: input.userAgent, env: input.env });
  const auditLog = resolve(input.cwd, settings.auditLog ?? DEFAULT_AUDIT_LOG);
  const audit = openAuditLog(auditLog);
  const prompt =
    settings.mode === "interactive" ? createConfirmPrompt(input.stdin, input.prompt) : undefined;
  try {
    const run = await runRevocation({
      findings: input.findings,
      rules: input.rules,
      builtinRules,
      mode: settings.mode,
      force: settings.force,
      trustConfig: settings.trustConfig,
      env: input.env,
      endpoints,
      http,
      timeoutMs: settings.timeoutMs,
      ratePerHost: settings.ratePerHost,
      audit,
      // A fresh call each time: a key's status after revoking must come from a new answer.
      verify: (findings) =>
        verifyFindings(findings, {
          rules: input.rules,
          builtinRules,
          endpoints,
          trustConfig: settings.trustConfig,
          http,
          concurrency: settings.concurrency,
          timeoutMs: settings.timeoutMs,
          ratePerHost: settings.ratePerHost,
        }),
      ...(prompt
        ? {
            confirm: (target, plan) => prompt.ask(confirmQuestion(target, plan)),
          }
        : {}),
      confirmWaitMs: settings.confirmWaitMs,
    });
    return { ...run, auditLog };
  } finally {
    prompt?.close();
    audit.close();
  }
}
