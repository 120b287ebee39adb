import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { type CompiledRule, compileRule } from "../../src/config/compile-rules.js";
import { type RawRuleInput, ruleSchema } from "../../src/config/rule-schema.js";
import { fingerprint } from "../../src/engine/fingerprint.js";
import { openAuditLog } from "../../src/revoke/audit-log.js";
import { type RunRevocationOptions, runRevocation } from "../../src/revoke/run-revocation.js";
import type { Finding } from "../../src/types.js";
import { createHttpClient } from "../../src/verify/http-client.js";
import { verifyFindings } from "../../src/verify/verify-findings.js";

/** A built-in rule from a partial definition (schema defaults applied, examples filled in). */
export function buildRevokeRule(fields: Partial<RawRuleInput> & { id: string }): CompiledRule {
  const raw = ruleSchema.parse({
    title: fields.id,
    provider: fields.id,
    pattern: "x{99}",
    keywords: ["xxx"],
    remediation: `Rotate the ${fields.id} key.`,
    examples: { match: ["x"], nomatch: ["y"] },
    ...fields,
  });
  return compileRule(raw, { file: `rules/${fields.id}.yaml`, builtin: true });
}

/** A Finding as the engine would produce it. */
export function findingFor(
  rule: CompiledRule,
  secret: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    ruleId: rule.id,
    title: rule.title,
    provider: rule.provider,
    severity: "high",
    tags: [],
    path: "config.env",
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 5 + secret.length,
    secret,
    match: secret,
    lineText: `KEY=${secret}`,
    metadata: {},
    entropy: 4,
    fingerprint: fingerprint(rule.id, secret),
    ...extra,
  };
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keywarden-revoke-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The audit log's entries; `torn` lines (left by a simulated crash) are passed over. */
export function readAudit(path: string, torn: readonly string[] = []): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() && !torn.includes(line))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface RevokeRunSetup {
  readonly findings: readonly Finding[];
  readonly rules: readonly CompiledRule[];
  /** The shipped rules (default: `rules`). */
  readonly builtinRules?: readonly CompiledRule[];
  readonly trustConfig?: boolean;
  readonly endpoints: Record<string, string>;
  readonly auditPath: string;
  readonly mode?: RunRevocationOptions["mode"];
  readonly env?: Record<string, string>;
  readonly force?: boolean;
  readonly confirm?: RunRevocationOptions["confirm"];
  readonly confirmWaitMs?: number;
}

/** Runs the revocation stage in process, with real verification and HTTP against stand-ins. */
export async function revokeInProcess(setup: RevokeRunSetup) {
  const http = createHttpClient({ userAgent: "keywarden-test" });
  const endpoints = new Map(
    Object.entries(setup.endpoints).map(([name, url]) => [name, new URL(url)]),
  );
  const audit = openAuditLog(setup.auditPath);
  try {
    return await runRevocation({
      findings: setup.findings,
      rules: setup.rules,
      builtinRules: setup.builtinRules ?? setup.rules,
      mode: setup.mode ?? "execute",
      force: setup.force ?? false,
      trustConfig: setup.trustConfig ?? false,
      env: setup.env ?? {},
      endpoints,
      http,
      timeoutMs: 2000,
      ratePerHost: 1000,
      audit,
      verify: (findings) =>
        verifyFindings(findings, {
          rules: setup.rules,
          builtinRules: setup.builtinRules ?? setup.rules,
          endpoints,
          trustConfig: setup.trustConfig ?? false,
          http,
          concurrency: 4,
          timeoutMs: 2000,
          ratePerHost: 1000,
          maxRetries: 0,
        }),
      ...(setup.confirm ? { confirm: setup.confirm } : {}),
      confirmWaitMs: setup.confirmWaitMs ?? 0,
    });
  } finally {
    audit.close();
  }
}
