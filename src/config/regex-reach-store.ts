import type { RegexReach } from "./regex-reach.js";

/**
 * Reaches as dist/rules.json keeps them, worked out at build time so start-up does not load the
 * regex parser. JSON has no Infinity: unbounded is written as null.
 */
export type StoredReach = { chars: number | null; lines: number | null };

export function storeReach(reach: RegexReach | undefined): StoredReach | undefined {
  return (
    reach && {
      chars: Number.isFinite(reach.chars) ? reach.chars : null,
      lines: Number.isFinite(reach.lines) ? reach.lines : null,
    }
  );
}

export function restoreReach(stored: StoredReach | undefined): RegexReach | undefined {
  return (
    stored && {
      chars: stored.chars ?? Number.POSITIVE_INFINITY,
      lines: stored.lines ?? Number.POSITIVE_INFINITY,
    }
  );
}
