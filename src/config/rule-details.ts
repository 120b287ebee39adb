import type { RawRule } from "./rule-schema.js";

/**
 * The built-in rules' fields no scan reads: a rule's examples, description and its verify and
 * revoke settings, about half of dist/rules.json. The build writes them to a file of their own
 * (dist/rules-detail.json), read when a compiled rule's `raw` is first asked for (see
 * compileRule), so the pre-commit hook parses only what it runs.
 */
export const DETAIL_FIELDS = ["examples", "description", "verify", "revoke"] as const;

type DetailField = (typeof DETAIL_FIELDS)[number];
export type RuleDetails = Partial<Pick<RawRule, DetailField>>;

/** What the build stores of a built-in rule: its raw rule, beside what else it works out. */
export interface StoredRule {
  readonly raw: RawRule;
}

/** Splits the built rules in two: the lean records, and each rule's details by its id. */
export function splitRuleDetails<T extends StoredRule>(
  rules: readonly T[],
): { lean: T[]; details: Record<string, RuleDetails> } {
  const details: Record<string, RuleDetails> = {};
  const lean = rules.map((rule) => {
    const raw: Record<string, unknown> = { ...rule.raw };
    const own: Record<string, unknown> = {};
    for (const field of DETAIL_FIELDS) {
      if (raw[field] !== undefined) own[field] = raw[field];
      delete raw[field];
    }
    details[rule.raw.id] = own as RuleDetails;
    return { ...rule, raw: raw as unknown as RawRule };
  });
  return { lean, details };
}
