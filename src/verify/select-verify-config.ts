import type { VerifyConfig } from "../config/rule-schema.js";

/**
 * Which verify config applies to a rule. A scanned repository's config could otherwise send
 * every key it finds to a host of its choosing, so:
 *  - a rule id that keywarden ships always uses the shipped verify block, even when a config
 *    redefines the rule;
 *  - a rule that exists only in a config is verified only when the user passes --trust-config.
 */

/** The part of a CompiledRule this decision reads. */
export interface VerifiableRule {
  readonly id: string;
  readonly raw: { readonly verify?: VerifyConfig | undefined };
  readonly source: { readonly file: string; readonly builtin: boolean };
}

export type VerifyConfigChoice =
  | { readonly config: VerifyConfig }
  | { readonly unsupported: string };

export function selectVerifyConfig(
  ruleId: string,
  configRule: VerifiableRule | undefined,
  builtinRules: ReadonlyMap<string, VerifiableRule>,
  trustConfig: boolean,
): VerifyConfigChoice {
  const builtin = builtinRules.get(ruleId);
  if (builtin) {
    return builtin.raw.verify
      ? { config: builtin.raw.verify }
      : { unsupported: "no verifier for this rule" };
  }
  if (!configRule) return { unsupported: `unknown rule "${ruleId}"` };
  if (!trustConfig) {
    return {
      unsupported: `rule "${ruleId}" comes from ${configRule.source.file}; verifying rules from a config needs --trust-config`,
    };
  }
  return configRule.raw.verify
    ? { config: configRule.raw.verify }
    : { unsupported: "no verifier for this rule" };
}
