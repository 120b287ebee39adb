import { createRequire } from "node:module";

// node:crypto is loaded when first used, not at start: most pre-commit runs find nothing and
// hash nothing, and loading it is about 3 ms of the hook's time.
const require = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;

/** The hex digest of the parts, one after the other; node:crypto loads on the first call. */
export function hexDigest(algorithm: "sha1" | "sha256", ...parts: readonly string[]): string {
  crypto ??= require("node:crypto") as typeof import("node:crypto");
  const hash = crypto.createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}
