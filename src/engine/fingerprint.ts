import { createRequire } from "node:module";

// node:crypto is loaded on the first finding, not at start: most pre-commit runs find nothing,
// and loading it is about 3 ms of the hook's time.
const require = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;

/**
 * Content fingerprint of a finding: rule id + secret, so it survives line moves, rebases and
 * squashes. 32 hex characters of SHA-256: no generated key can be worked back from it, but, as
 * with any unsalted hash, a weak password can be guessed by hashing candidates (README says so).
 */
export function fingerprint(ruleId: string, secret: string): string {
  crypto ??= require("node:crypto") as typeof import("node:crypto");
  return crypto
    .createHash("sha256")
    .update(ruleId)
    .update("\0")
    .update(sameAcrossLayouts(secret))
    .digest("hex")
    .slice(0, 32);
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
