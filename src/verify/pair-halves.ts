import type { Companion, Finding } from "../types.js";
import type { KeyHalf } from "./verifier-registry.js";

/**
 * Two-part keys (AWS key id + secret, Twilio SID + secret) are only verifiable as a pair. The
 * engine attaches a companion where a rule `requires` one (callers use that one first); for
 * the other half, and for rules that do not require one, the partner is the nearest finding of
 * the other half, checked by the same code verifier, in the same file (and commit) within a
 * few lines.
 */

const MAX_DISTANCE = 5;

export interface PairCandidate {
  readonly finding: Finding;
  /** Name of the code verifier its rule uses. */
  readonly verifier: string;
}

function sameSource(a: Finding, b: Finding): boolean {
  return a.path === b.path && a.git?.commit === b.git?.commit;
}

export function findCompanion(
  finding: Finding,
  verifier: string,
  half: KeyHalf,
  candidates: readonly PairCandidate[],
): Companion | undefined {
  const wanted = half(finding.secret) === "id" ? "secret" : "id";
  let best: Finding | undefined;
  for (const candidate of candidates) {
    const other = candidate.finding;
    if (candidate.verifier !== verifier || other === finding || !sameSource(finding, other))
      continue;
    const distance = Math.abs(other.line - finding.line);
    if (distance > MAX_DISTANCE || half(other.secret) !== wanted) continue;
    if (!best || distance < Math.abs(best.line - finding.line)) best = other;
  }
  return best && { ruleId: best.ruleId, secret: best.secret, line: best.line };
}

/** One cache key per pair, whichever half a finding is. */
export function pairKey(verifier: string, secret: string, companion: string | undefined): string {
  return [`custom:${verifier}`, ...[secret, companion ?? ""].sort()].join("\0");
}

/**
 * Each two-part key's other half, by finding (see findCompanion): verification checks the pair,
 * and revocation needs both (an AWS key is deactivated by its id, signed with its secret).
 * `pairOf` names a finding's code verifier and its halves, for findings of two-part keys that
 * may pair (a finding it leaves out is neither paired nor anyone's other half).
 */
export function companionsOf(
  findings: readonly Finding[],
  pairOf: (finding: Finding) => { readonly name: string; readonly half: KeyHalf } | undefined,
): Map<Finding, Companion> {
  const paired = findings.flatMap((finding) => {
    const pair = pairOf(finding);
    return pair ? [{ finding, pair }] : [];
  });
  const candidates: PairCandidate[] = paired.map(({ finding, pair }) => ({
    finding,
    verifier: pair.name,
  }));
  const companions = new Map<Finding, Companion>();
  for (const { finding, pair } of paired) {
    const companion = findCompanion(finding, pair.name, pair.half, candidates);
    if (companion) companions.set(finding, companion);
  }
  return companions;
}
