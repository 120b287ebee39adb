import { UsageError } from "../errors.js";
import { unsendableReason } from "./url-policy.js";

/**
 * Base-URL overrides for provider services. They come only from the person running keywarden:
 * `--endpoint NAME=URL` (wins) or `KEYWARDEN_ENDPOINT_<NAME>` in their environment. A scanned
 * repository has no say: its config is never consulted here.
 */

export type EndpointOverrides = ReadonlyMap<string, URL>;

const ENV_PREFIX = "KEYWARDEN_ENDPOINT_";
const SERVICE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `meta-llama` → `KEYWARDEN_ENDPOINT_META_LLAMA`. */
export function endpointEnvName(service: string): string {
  return ENV_PREFIX + service.toUpperCase().replaceAll("-", "_");
}

function serviceFromName(name: string): string {
  return name.toLowerCase().replaceAll("_", "-");
}

/** Validates one base URL; `origin` names the flag or variable in the error. */
export function parseBaseUrl(text: string, origin: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${origin}: "${text}" is not a URL (expected e.g. https://host:8443)`);
  }
  const refused = unsendableReason(url);
  if (refused) throw new UsageError(`${origin}: ${refused}`);
  if (url.search || url.hash) {
    throw new UsageError(`${origin}: a base URL takes no query or fragment ("${text}")`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${origin}: a base URL takes no user or password ("${url.host}")`);
  }
  return url;
}

/**
 * Collects overrides from the environment, then from `--endpoint` values (which win).
 * Throws UsageError naming the flag or variable at fault.
 */
export function parseEndpointOverrides(
  flags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Map<string, URL> {
  const overrides = new Map<string, URL>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || value === "") continue;
    const service = serviceFromName(name.slice(ENV_PREFIX.length));
    if (!SERVICE_NAME.test(service)) throw new UsageError(`${name}: not a service name`);
    overrides.set(service, parseBaseUrl(value, name));
  }
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(
        `--endpoint ${flag}: expected NAME=URL, e.g. --endpoint llmos=https://host:8443`,
      );
    }
    const service = serviceFromName(flag.slice(0, eq).trim());
    if (!SERVICE_NAME.test(service)) {
      throw new UsageError(`--endpoint ${flag}: "${flag.slice(0, eq)}" is not a service name`);
    }
    overrides.set(service, parseBaseUrl(flag.slice(eq + 1).trim(), `--endpoint ${service}`));
  }
  return overrides;
}

/**
 * Refuses an `--endpoint`, or a KEYWARDEN_ENDPOINT_<NAME> variable, that names a service nothing
 * in this run calls (a typo would leave the built-in host in place without a word). `unknown`
 * says what a known name would have been. Malformed flags are left to parseEndpointOverrides.
 */
export function checkEndpointNames(
  flags: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  known: ReadonlySet<string>,
  unknown: string,
): void {
  const knownNames = () => [...known].sort().join(", ");
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || value === "") continue;
    if (!known.has(serviceFromName(name.slice(ENV_PREFIX.length))))
      throw new UsageError(`${name}: ${unknown} (known: ${knownNames()})`);
  }
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) continue;
    const name = flag.slice(0, eq);
    if (!known.has(serviceFromName(name.trim()))) {
      throw new UsageError(`--endpoint ${name}: ${unknown} (known: ${knownNames()})`);
    }
  }
}

/** The base URL of a service: the runner's override, else the built-in one (none when self-hosted). */
export function resolveBase(
  endpoints: EndpointOverrides,
  service: string,
  builtin: string | undefined,
): URL | undefined {
  const override = endpoints.get(service);
  if (override) return override;
  return builtin === undefined ? undefined : new URL(builtin);
}

/**
 * Joins a base (which may carry a path prefix, e.g. https://api.groq.com/openai) and a request
 * path. Returns undefined if the result would leave the base's origin: it never should, since
 * paths start with "/" and substituted values are encoded, but the check makes it certain.
 */
export function joinBase(base: URL, path: string): URL | undefined {
  const prefix = base.pathname.endsWith("/") ? base.pathname.slice(0, -1) : base.pathname;
  let url: URL;
  try {
    url = new URL(`${base.origin}${prefix}${path}`);
  } catch {
    return undefined;
  }
  return url.origin === base.origin ? url : undefined;
}
