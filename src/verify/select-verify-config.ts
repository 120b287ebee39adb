import type { VerifyConfig } from "../config/rule-schema.js";
import type { SecretGroup } from "../config/secret-group.js";

/**
 * Which verify config applies to a rule. A scanned repository's config could otherwise send
 * every key it finds to a host of its choosing, so:
 *  - a rule id that keywarden ships always uses the shipped verify block, even when a config
 *    redefines the rule, and then only for secrets of the shipped rule's shape (hasBuiltinShape);
 *  - a rule that exists only in a config is verified only when the user passes --trust-config.
 */

/** The part of a CompiledRule this decision reads. */
export interface VerifiableRule {
  readonly id: string;
  readonly raw: { readonly verify?: VerifyConfig | undefined };
  readonly source: { readonly file: string; readonly builtin: boolean };
  /** The rule's pattern and the group holding the secret, for hasBuiltinShape. */
  readonly regex?: RegExp;
  readonly secretGroup?: SecretGroup;
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

/**
 * Whether a secret may go to the provider of the built-in rule `ruleId`: always when the rule in
 * force is the built-in one; when a config defines a rule under that id (useDefault: false),
 * only for a secret the built-in pattern takes whole. Otherwise the config's pattern could send
 * any string it matches, another provider's key say, to that provider.
 */
export function hasBuiltinShape(
  inForce: VerifiableRule | undefined,
  builtin: VerifiableRule | undefined,
  secret: string,
): boolean {
  if (!builtin || !inForce || inForce.source.builtin) return true;
  if (!builtin.regex) return false;
  const alone = new RegExp(builtin.regex.source, builtin.regex.flags.replace(/[gy]/g, ""));
  const match = alone.exec(secret);
  const group = builtin.secretGroup;
  const found =
    typeof group === "number" ? match?.[group] : group ? match?.groups?.[group] : match?.[0];
  return found === secret;
}

/**
 * Whether a finding's secret may travel as the other half of another finding's key (an AWS
 * secret beside its key id, the companion a rule `requires`): that other finding's verify block
 * is the built-in one, so without this a config's rule could hand it any string to send. Only a
 * secret a built-in rule takes may (see hasBuiltinShape), unless the runner trusts the config.
 */
export function isTrustedHalf(
  ruleId: string,
  secret: string,
  rulesById: ReadonlyMap<string, VerifiableRule>,
  builtinById: ReadonlyMap<string, VerifiableRule>,
  trustConfig: boolean,
): boolean {
  if (trustConfig) return true;
  const inForce = rulesById.get(ruleId);
  const builtin = builtinById.get(ruleId);
  return (
    inForce !== undefined && builtin !== undefined && hasBuiltinShape(inForce, builtin, secret)
  );
}
