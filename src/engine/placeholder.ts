/**
 * Values that have the shape of a key but are documentation or templates. Applied to every
 * rule's secret unless the rule opts out (placeholderCheck: false).
 */

/**
 * The most copied fake credentials there are: AWS's documentation key pair, Stripe's
 * documentation test key (printed in every page of its API reference), the Azure Storage
 * emulator's account key, and the example
 * tokens of the OAuth 2.0 and OpenID Connect specifications (RFC 6749, RFC 6750, OpenID
 * Connect Core), which every OAuth library repeats in its docstrings and tests.
 */
export const KNOWN_EXAMPLE_SECRETS: ReadonlySet<string> = new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  // The Azure Storage emulator's (Azurite's) fixed account key, for account devstoreaccount1.
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  // RFC 6749: access and refresh tokens, an authorization code, client credentials (Basic).
  "2YotnFZFEjr1zCsicMWpAA",
  "tGzv3JOkF0XG5Qx2TlKWIA",
  "SplxlOBeZQQYbYS6WxSbIA",
  "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
  // ...and the same credentials decoded (client s6BhdRkqt3, password gX1fBat3bV).
  "s6BhdRkqt3:gX1fBat3bV",
  "gX1fBat3bV",
  "7Fjfp0ZBr1KtDRbnfVdmIw",
  // RFC 6750's bearer token, OpenID Connect Core's access token.
  "mF_9.B5f-4.1JqM",
  "SlAV32hkKG",
]);

const TEMPLATE_MARKERS = /\$\{|\$\(|\{\{|\}\}|%\(|<[A-Za-z_ -]+>|\[\[|\]\]/;
// Sequential runs: 1234567890, and 0123456789 of the hex alphabet written out
// (0123456789abcdef...), the stand-in for a hex key in docs and fixtures.
const PLACEHOLDER_WORDS =
  /example|placeholder|your[_-]?(?:api[_-]?)?(?:key|token|secret)|changeme|change[_-]me|replace[_-]?me|insert[_-]?(?:your|key|here)|redacted|dummy|x{4,}|\*{3,}|\.{3}|…|0{8,}|1234567890|0123456789|abcdefghij/i;
const LONG_SECRET = 128;
const LONG_PLACEHOLDER = /\.{3}|…|x{8,}|your[_-]?(?:private[_-]?)?key/i;
const REPEATED_RUN = /(.)\1{5,}/;

/** True when the secret looks like a stand-in rather than a key. */
export function isPlaceholderSecret(secret: string): boolean {
  if (KNOWN_EXAMPLE_SECRETS.has(secret)) return true;
  if (TEMPLATE_MARKERS.test(secret)) return true;
  // Long secrets (PEM bodies, JWTs) are base64 of structured data: runs like AAAAAA are normal
  // there, and short words turn up by chance, so only unmistakable stand-ins count.
  if (secret.length > LONG_SECRET) return LONG_PLACEHOLDER.test(secret);
  if (PLACEHOLDER_WORDS.test(secret)) return true;
  if (REPEATED_RUN.test(secret)) return true;
  if (secret.length >= 10 && new Set(secret).size <= 3) return true;
  return false;
}

/** True when the text right after or before a match elides it (`sk-proj-abc...`, `…key`). */
export function isElided(text: string, start: number, end: number): boolean {
  const after = text.slice(end, end + 3);
  const before = text.slice(Math.max(0, start - 3), start);
  return after === "..." || after.startsWith("…") || before === "..." || before.endsWith("…");
}
