import type { KeywordLeads } from "./keyword-leads.js";
import type { PatternScope } from "./pattern-scope.js";

/**
 * Pattern scopes as dist/rules.json keeps them, worked out at build time so start-up does not
 * load the regex parser. JSON has no Infinity: an unbounded reach is written as null.
 */
export interface StoredScope {
  readonly reach?: { chars: number | null; lines: number | null };
  readonly leads?: KeywordLeads;
  readonly pattern?: string;
}

export function storeScope(scope: PatternScope): StoredScope {
  const { reach, leads } = scope;
  return {
    ...(reach
      ? {
          reach: {
            chars: Number.isFinite(reach.chars) ? reach.chars : null,
            lines: Number.isFinite(reach.lines) ? reach.lines : null,
          },
        }
      : {}),
    ...(leads ? { leads } : {}),
    ...(scope.pattern !== undefined ? { pattern: scope.pattern } : {}),
  };
}

export function restoreScope(stored: StoredScope | undefined): PatternScope {
  const reach = stored?.reach;
  return {
    ...(reach
      ? {
          reach: {
            chars: reach.chars ?? Number.POSITIVE_INFINITY,
            lines: reach.lines ?? Number.POSITIVE_INFINITY,
          },
        }
      : {}),
    ...(stored?.leads ? { leads: stored.leads } : {}),
    ...(stored?.pattern !== undefined ? { pattern: stored.pattern } : {}),
  };
}
