import { createHash } from "node:crypto";
import { type VerifyConfig, verifySchema } from "../../src/config/rule-schema.js";
import type { Finding } from "../../src/types.js";
import type { VerifiableRule } from "../../src/verify/select-verify-config.js";

/** A Finding as the engine would produce it, for tests of stages after the engine. */
export function buildFinding(
  fields: Partial<Finding> & { ruleId: string; secret: string },
): Finding {
  return {
    title: fields.ruleId,
    provider: fields.ruleId,
    severity: "high",
    tags: [],
    path: "config.env",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: fields.secret.length + 1,
    match: fields.secret,
    lineText: fields.secret,
    metadata: {},
    entropy: 4,
    fingerprint: createHash("sha256").update(`${fields.ruleId}:${fields.secret}`).digest("hex"),
    ...fields,
  };
}

/** A rule with a verify block (defaults applied as the schema would). */
export function buildRule(
  id: string,
  verify: unknown,
  source: { file: string; builtin: boolean } = { file: "rules/test.yaml", builtin: true },
  regex?: RegExp,
): VerifiableRule {
  const parsed: VerifyConfig | undefined =
    verify === undefined ? undefined : verifySchema.parse(verify);
  return { id, raw: { verify: parsed }, source, ...(regex ? { regex } : {}) };
}
