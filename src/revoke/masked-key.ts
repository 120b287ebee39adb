/**
 * Management APIs list keys by a masked form of their value ("sk-proj-abc...wxyz",
 * "sk-ant-api03-R2D...igAA", "lsv2_pt_****1a2b"). This tells whether a leaked secret is the key a
 * masked form stands for: every visible part must appear in the secret, in order, the first at the
 * very start and the last at the very end.
 */

/** Runs of these characters stand for hidden characters. */
const HIDDEN = /(?:\.{2,}|\*+|…+|•+)/;

export function matchesMaskedKey(masked: string, secret: string): boolean {
  const parts = masked.trim().split(HIDDEN);
  // A form without any hidden run is the full value (or unrelated): compare it whole.
  if (parts.length === 1) return parts[0] === secret;
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  // Too little visible text would match many keys: demand a real prefix or suffix.
  if (first.length + last.length < 6) return false;
  if (!secret.startsWith(first) || !secret.endsWith(last)) return false;
  if (first.length + last.length > secret.length) return false;
  let at = first.length;
  const end = secret.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    if (middle === "") continue;
    const found = secret.indexOf(middle, at);
    if (found === -1 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/** The one entry whose masked form matches, or why there is not exactly one. */
export function findByMaskedKey<T>(
  entries: readonly T[],
  maskedOf: (entry: T) => string | undefined,
  secret: string,
): { entry: T } | { error: string } {
  const matches = entries.filter((entry) => {
    const masked = maskedOf(entry);
    return masked !== undefined && matchesMaskedKey(masked, secret);
  });
  if (matches.length === 1) return { entry: matches[0]! };
  if (matches.length === 0)
    return { error: `no key among the ${entries.length} listed matches it` };
  return { error: `${matches.length} listed keys match its visible characters; refusing to guess` };
}
