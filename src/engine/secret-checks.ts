import type { CompiledAllow, CompiledRule } from "../config/compile-rules.js";
import { hasValidGithubChecksum } from "./checksum.js";
import { shannonEntropy } from "./entropy.js";
import { isPlaceholderSecret } from "./placeholder.js";

/** Whether an allowlist's secret patterns or stop words cover a secret, wherever it stands. */
export function allowsSecret(allow: CompiledAllow, secret: string): boolean {
  if (allow.secrets.some((regex) => regex.test(secret))) return true;
  if (allow.stopwords.length === 0) return false;
  const lower = secret.toLowerCase();
  return allow.stopwords.some((word) => lower.includes(word));
}

/** A valid format checksum marks a generated token: neither filler nor cut short. */
export function hasValidChecksum(rule: CompiledRule, secret: string): boolean {
  return rule.checksum === "github-crc32" && hasValidGithubChecksum(secret);
}

/** C0 controls and DEL, line breaks and tabs aside (a private key spans lines). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are what it finds.
const CONTROL_BYTE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * Whether a rule takes a secret by the checks that read the secret alone: its entropy floor,
 * the placeholder check, and its own allowed secrets and stop words. The detector applies them
 * to every match; example checks draw again a random value a rule would drop by them.
 */
export function ruleTakesSecret(rule: CompiledRule, secret: string, entropy?: number): boolean {
  // No key or password holds a control byte; a binary string table read as text does.
  if (CONTROL_BYTE.test(secret)) return false;
  if (rule.entropy !== undefined && (entropy ?? shannonEntropy(secret)) < rule.entropy) {
    return false;
  }
  // A valid format checksum marks a generated token, whatever filler its random part spells.
  if (rule.placeholderCheck && isPlaceholderSecret(secret) && !hasValidChecksum(rule, secret)) {
    return false;
  }
  return !allowsSecret(rule.allow, secret);
}
