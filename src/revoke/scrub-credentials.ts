/**
 * Credentials keywarden holds to act (an admin key from the environment, a token a management
 * API handed out) must never reach a report, the audit log or the terminal, even with
 * --no-redact: nobody asked to see them. Providers quote them back in errors ("Incorrect API
 * key provided: sk-admin-…"), so every answer of a revocation call is scrubbed of them before
 * anything reads it.
 */

export interface Credential {
  readonly value: string;
  /** What stands in its place: `[OPENAI_ADMIN_KEY]`, `[credential]`. */
  readonly label: string;
}

/** Shorter values would scrub ordinary words; real credentials are far longer. */
const MIN_LENGTH = 8;

/** The variables of `names` that are set, each as a credential labelled with its name. */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  names: Iterable<string>,
): Credential[] {
  const found: Credential[] = [];
  for (const name of new Set(names)) {
    const value = env[name]?.trim();
    if (value && value.length >= MIN_LENGTH) found.push({ value, label: `[${name}]` });
  }
  return found;
}

/** Request headers that carry a credential by their name. */
const CREDENTIAL_HEADER = /auth|key|token|secret|session|password/i;

/**
 * The credentials a request carries in its headers (`Authorization: Bearer …`, `x-api-key`,
 * both halves of Basic), except `own`: the leaked key itself, which report redaction hides.
 */
export function credentialsInHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  own: readonly (string | undefined)[],
): Credential[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!CREDENTIAL_HEADER.test(name)) continue;
    values.add(value);
    const [scheme, rest] = value.split(/\s+(.*)/s, 2);
    if (rest === undefined) continue;
    values.add(rest);
    if (scheme?.toLowerCase() === "basic") {
      const decoded = Buffer.from(rest, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0)
        for (const part of [decoded.slice(0, colon), decoded.slice(colon + 1)]) values.add(part);
    }
  }
  const skip = own.filter((secret): secret is string => secret !== undefined);
  return [...values]
    .filter((value) => value.length >= MIN_LENGTH && !skip.some((secret) => value.includes(secret)))
    .map((value) => ({ value, label: "[credential]" }));
}

/** `text` with every credential replaced by its label, longest first. */
export function scrubCredentials(text: string, credentials: readonly Credential[]): string {
  let out = text;
  const longestFirst = [...credentials].sort((a, b) => b.value.length - a.value.length);
  for (const { value, label } of longestFirst) {
    if (out.includes(value)) out = out.split(value).join(label);
  }
  return out;
}
