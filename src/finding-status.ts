import type { Revocation, Verification } from "./types.js";

/**
 * A finding a person still has to act on after revocation ran: a manual item, a failed or
 * planned revocation, or a key that was skipped while it may still be live.
 */
export function needsAttention(finding: {
  readonly revocation?: Revocation;
  readonly verification?: Verification;
}): boolean {
  const status = finding.revocation?.status;
  if (status === undefined || status === "revoked") return false;
  if (status === "skipped") return finding.verification?.status !== "invalid";
  return true;
}

/** A key its provider accepted, with full or restricted rights. */
export function isLive(finding: { readonly verification?: Verification | undefined }): boolean {
  const status = finding.verification?.status;
  return status === "live" || status === "live-restricted";
}
