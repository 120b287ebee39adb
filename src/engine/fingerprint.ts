import { hexDigest } from "../lazy-crypto.js";

/**
 * Content fingerprint of a finding: rule id + secret, so it survives line moves, rebases and
 * squashes. 32 hex characters of SHA-256: no generated key can be worked back from it, but, as
 * with any unsalted hash, a weak password can be guessed by hashing candidates (README says so).
 */
export function fingerprint(ruleId: string, secret: string): string {
  return hexDigest("sha256", ruleId, "\0", sameAcrossLayouts(secret)).slice(0, 32);
}

/**
 * A secret of several lines (a private key) as the same text whatever the file's line ends or
 * indentation: a Windows checkout (CRLF) and the committed blob, or a key moved into an indented
 * YAML block, are one key with one fingerprint. One-line secrets are taken as they are.
 */
function sameAcrossLayouts(secret: string): string {
  if (!/[\r\n]/.test(secret)) return secret;
  return secret
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .join("\n");
}
