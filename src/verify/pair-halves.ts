import type { Companion, Finding } from "../types.js";
import type { KeyHalf } from "./verifier-registry.js";

/**
 * Two-part keys (AWS key id + secret, Twilio SID + secret) are only verifiable as a pair. The
 * engine attaches a companion where a rule `requires` one (callers use that one first); for
 * the other half, and for rules that do not require one, the partners are the findings of the
 * other half checked by the same code verifier, in the same file (and commit) within a few
 * lines.
 *
 * Several pairs often sit together (ID1, SECRET1, ID2, SECRET2 in a .env), where "the nearest
 * other half" is a tie: SECRET1 is as near to ID2 as SECRET2 is. So halves are first matched one
 * to one, nearest pairs first and the earlier of equals first, which pairs neighbours in order
 * whichever half comes first in the file; the other halves in reach follow, nearest first, for
 * when the provider says a pair does not belong together.
 */

const MAX_DISTANCE = 5;
/** Other halves tried for one finding at most: a crowded file costs a few requests, not many. */
export const MAX_PARTNERS = 3;

type PairOf = (finding: Finding) => { readonly name: string; readonly half: KeyHalf } | undefined;

interface Half {
  readonly finding: Finding;
  readonly isId: boolean;
}

function companionOf(finding: Finding): Companion {
  return { ruleId: finding.ruleId, secret: finding.secret, line: finding.line };
}

/** The halves of one verifier in one file (and commit): only these pair with each other. */
function groupHalves(findings: readonly Finding[], pairOf: PairOf): Half[][] {
  const groups = new Map<string, Half[]>();
  for (const finding of findings) {
    const pair = pairOf(finding);
    if (!pair) continue;
    const key = [pair.name, finding.path, finding.git?.commit ?? ""].join("\0");
    const half = { finding, isId: pair.half(finding.secret) === "id" };
    const group = groups.get(key);
    if (group) group.push(half);
    else groups.set(key, [half]);
  }
  return [...groups.values()];
}

const distance = (a: Half, b: Half) => Math.abs(a.finding.line - b.finding.line);

/** One to one: the nearest pairs first, and of pairs as near, the one earlier in the file. */
function matchOneToOne(halves: readonly Half[]): Map<Half, Half> {
  const links: [Half, Half][] = [];
  for (const id of halves) {
    if (!id.isId) continue;
    for (const secret of halves)
      if (!secret.isId && distance(id, secret) <= MAX_DISTANCE) links.push([id, secret]);
  }
  const start = ([id, secret]: [Half, Half]) => Math.min(id.finding.line, secret.finding.line);
  links.sort((a, b) => distance(...a) - distance(...b) || start(a) - start(b));
  const matched = new Map<Half, Half>();
  for (const [id, secret] of links) {
    if (matched.has(id) || matched.has(secret)) continue;
    matched.set(id, secret);
    matched.set(secret, id);
  }
  return matched;
}

/**
 * Each two-part key's other halves in the order to try them: its one-to-one match first, then
 * the others in reach, nearest first (of two as near, the one below), one per distinct secret,
 * MAX_PARTNERS at most. `pairOf` names a finding's code verifier and its halves, for findings
 * that may pair (a finding it leaves out is neither paired nor anyone's other half).
 */
export function partnersOf(
  findings: readonly Finding[],
  pairOf: PairOf,
): Map<Finding, Companion[]> {
  const partners = new Map<Finding, Companion[]>();
  for (const halves of groupHalves(findings, pairOf)) {
    const matched = matchOneToOne(halves);
    for (const half of halves) {
      const below = (other: Half) => (other.finding.line > half.finding.line ? 0 : 1);
      const inReach = halves
        .filter((other) => other.isId !== half.isId && distance(half, other) <= MAX_DISTANCE)
        .sort((a, b) => distance(half, a) - distance(half, b) || below(a) - below(b));
      const first = matched.get(half);
      const ordered = first ? [first, ...inReach.filter((other) => other !== first)] : inReach;
      const seen = new Set<string>();
      const list: Companion[] = [];
      for (const other of ordered) {
        if (seen.has(other.finding.secret) || list.length >= MAX_PARTNERS) continue;
        seen.add(other.finding.secret);
        list.push(companionOf(other.finding));
      }
      if (list.length > 0) partners.set(half.finding, list);
    }
  }
  return partners;
}

/** One cache key per pair, whichever half a finding is. */
export function pairKey(verifier: string, secret: string, companion: string | undefined): string {
  return [`custom:${verifier}`, ...[secret, companion ?? ""].sort()].join("\0");
}

/**
 * Each two-part key's first other half (see partnersOf): what revocation pairs a key with when
 * verification did not say (an AWS key is deactivated by its id, signed with its secret).
 */
export function companionsOf(
  findings: readonly Finding[],
  pairOf: PairOf,
): Map<Finding, Companion> {
  const companions = new Map<Finding, Companion>();
  for (const [finding, [first]] of partnersOf(findings, pairOf))
    if (first) companions.set(finding, first);
  return companions;
}
