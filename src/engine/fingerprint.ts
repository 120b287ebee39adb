import { createHash } from "node:crypto";

/**
 * Content fingerprint of a finding: rule id + secret, so it survives line moves, rebases and
 * squashes. 32 hex characters of SHA-256; the secret cannot be recovered from it.
 */
export function fingerprint(ruleId: string, secret: string): string {
  return createHash("sha256").update(ruleId).update("\0").update(secret).digest("hex").slice(0, 32);
}
