import type { CompiledRule } from "../config/compile-rules.js";
import type { Companion, Finding, RevocationMechanism } from "../types.js";
import { HttpFailure, type HttpRequest, type HttpResponse } from "../verify/http-client.js";
import { parseJsonBody } from "../verify/verifier.js";

/**
 * A revoker turns a live leaked key into one provider call that kills it (plus whatever lookups
 * find the key's id first). It never sends anything itself: every request goes through the
 * context, which resolves the service's base URL (built-in host, or an override from the person
 * running keywarden), writes the audit log before and after, and applies the URL policy.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** One unique leaked key (a secret, plus its companion for two-part keys) and where it was seen. */
export interface RevokeTarget {
  /** Fingerprint of the first finding: the audit log's key. */
  readonly fingerprint: string;
  readonly rule: CompiledRule;
  /** Every finding of this key; the first one stands for all. */
  readonly findings: readonly Finding[];
  readonly secret: string;
  /** The other half of a two-part key (an AWS key id and its secret). */
  readonly companion?: Companion;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A request relative to a service base. */
export interface RevokeCall {
  readonly method: HttpRequest["method"];
  /** Starts with "/"; appended to the base (which may carry a path prefix). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** True for the call that disables the key; false for lookups. Dry runs never get here. */
  readonly destructive: boolean;
  /** Service whose base is used; default the revoker's own. */
  readonly service?: string;
}

export interface RevokeContext {
  readonly env: Env;
  /** The base URL a service resolves to, or undefined (self-hosted and not given). */
  baseOf(service: string): URL | undefined;
  /** Sends one audited request. Throws HttpFailure when no answer came. */
  send(call: RevokeCall): Promise<HttpResponse>;
  /**
   * A fetch for client libraries (@octokit/rest) that goes through the same client, URL policy
   * and audit log. Every request it sends counts as destructive.
   */
  fetchFor(service: string): typeof fetch;
}

/** What the provider said to the revocation itself (before re-verifying). */
export interface RevokeAttempt {
  /** The provider took the request (2xx, or Slack's ok:true). */
  readonly accepted: boolean;
  readonly httpStatus?: number;
  readonly detail: string;
  /** When the revoker chose a different path than its default (AWS signed by the admin). */
  readonly mechanism?: RevocationMechanism;
}

export interface Revoker {
  readonly name: string;
  readonly mechanism: Exclude<RevocationMechanism, "manual">;
  /** Name for `--endpoint NAME=URL` / KEYWARDEN_ENDPOINT_<NAME>. */
  readonly service: string;
  /** Built-in base URLs of the services this revoker talks to; absent for self-hosted ones. */
  readonly bases: Readonly<Record<string, string>>;
  /** Environment variables it reads (documented in the README), first the required ones. */
  readonly credentialEnv: readonly string[];
  /**
   * Keys revoked per call (GitHub: up to 1000); default 1. The runner calls `revoke` once per
   * chunk, with a context whose audit entries name exactly that chunk's keys.
   */
  readonly batchSize?: number;
  /** One line for the plan: what would be called. */
  describe(target: RevokeTarget, env: Env): string;
  /** Why it cannot act on this key here (no admin credential, no self-hosted base), if so. */
  blocker(
    target: RevokeTarget,
    env: Env,
    baseOf: (service: string) => URL | undefined,
  ): string | undefined;
  /** One attempt per target, in order. Throws only on bugs; failures are attempts. */
  revoke(targets: readonly RevokeTarget[], context: RevokeContext): Promise<RevokeAttempt[]>;
}

// Re-exported so a revoker takes every helper for reading answers from this one module.
export { parseJsonBody };

/** Reads a string field of a JSON object. */
export function stringField(value: unknown, field: string): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === "string" ? found : undefined;
}

/** The array under one of `fields` (or the value itself when it is an array). */
export function listOf(value: unknown, ...fields: string[]): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || typeof value !== "object") return [];
  for (const field of fields) {
    const found = (value as Record<string, unknown>)[field];
    if (Array.isArray(found)) return found;
  }
  return [];
}

/** A short reason from an error answer: its JSON message when there is one, else the status. */
export function describeFailure(response: HttpResponse, what: string): string {
  const json = parseJsonBody(response.body);
  const error =
    json !== null && typeof json === "object" ? (json as Record<string, unknown>).error : undefined;
  const message =
    stringField(json, "message") ??
    stringField(json, "detail") ??
    (typeof error === "string" ? error : stringField(error, "message"));
  const reason = message ? `: ${message.slice(0, 160)}` : "";
  return `${what} answered ${response.status}${reason}`;
}

/** 2xx. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A failed step (a lookup or the revoke call itself), with the provider's reason. */
export function failedAttempt(response: HttpResponse, what: string): RevokeAttempt {
  return { accepted: false, httpStatus: response.status, detail: describeFailure(response, what) };
}

/** The attempt a revoke call's answer makes: accepted on 2xx, else the provider's reason. */
export function attemptFrom(
  response: HttpResponse,
  acceptedDetail: string,
  what: string,
): RevokeAttempt {
  return isSuccess(response.status)
    ? { accepted: true, httpStatus: response.status, detail: acceptedDetail }
    : failedAttempt(response, what);
}

/** Wraps a one-key-at-a-time revoke function as a Revoker's `revoke`. */
export function oneByOne(
  revokeOne: (target: RevokeTarget, context: RevokeContext) => Promise<RevokeAttempt>,
): Revoker["revoke"] {
  return async (targets, context) => {
    const attempts: RevokeAttempt[] = [];
    for (const target of targets) {
      try {
        attempts.push(await revokeOne(target, context));
      } catch (error) {
        // No answer (timeout, network, refused URL): this key failed, the next one still gets its turn.
        if (!(error instanceof HttpFailure)) throw error;
        attempts.push({ accepted: false, detail: error.message });
      }
    }
    return attempts;
  };
}

/** A missing-variables blocker message, or undefined when all are set. */
export function missingEnv(
  env: Env,
  names: readonly string[],
  purpose: string,
): string | undefined {
  const missing = names.filter((name) => !env[name]);
  if (missing.length === 0) return undefined;
  return `set ${missing.join(" and ")} (${purpose}) in the environment to revoke it automatically`;
}
