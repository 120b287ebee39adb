import { allowAfterEscape } from "./escape-boundary.js";
import { type KeywordLeads, keywordLeads } from "./keyword-leads.js";
import { type RegexReach, ruleReach } from "./regex-reach.js";

/**
 * What the engine knows of a rule's pattern beyond its text, worked out once with the regex
 * parser: how far a match reads (windows around keywords) and where matches start relative to
 * their keywords (tries at those places alone). Either may be missing; the engine then falls
 * back to windows, or to the whole text.
 */
export interface PatternScope {
  readonly reach?: RegexReach;
  readonly leads?: KeywordLeads;
  /** The pattern as the engine runs it, when that differs from the rule's (escape-boundary.ts). */
  readonly pattern?: string;
}

export function ruleScope(raw: {
  pattern: string;
  flags?: string | undefined;
  keywords: readonly string[];
}): PatternScope {
  const flags = raw.flags ?? "";
  const pattern = allowAfterEscape(raw.pattern, flags);
  const reach = ruleReach({ pattern, flags });
  let leads: KeywordLeads | undefined;
  try {
    leads = keywordLeads(pattern, flags, raw.keywords);
  } catch {
    // A pattern the parser does not read the way the engine does: no leads.
  }
  return {
    ...(reach ? { reach } : {}),
    ...(leads ? { leads } : {}),
    ...(pattern !== raw.pattern ? { pattern } : {}),
  };
}
