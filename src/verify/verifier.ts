import type { Companion, VerificationStatus } from "../types.js";
import type { HttpResponse } from "./http-client.js";

/**
 * A verifier turns a secret into one read-only request and the provider's answer into a status.
 * It never sends anything itself: the scheduler sends the probe to the resolved base (and only
 * there), with rate limits, retries and timeouts applied alike to every provider.
 */

/** What a verifier knows about the key it checks. */
export interface VerifyInput {
  readonly ruleId: string;
  readonly secret: string;
  /** Named groups of the match other than the secret. */
  readonly groups: Readonly<Record<string, string>>;
  readonly companion?: Companion;
}

/** The request to send, relative to the service base. */
export interface VerifyProbe {
  readonly method: "GET" | "POST" | "HEAD";
  /** Starts with "/"; appended to the base (which may hold a path prefix). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface VerifyOutcome {
  readonly status: VerificationStatus;
  readonly httpStatus?: number;
  readonly detail: string;
}

export interface Verifier {
  /** The probe to send, or an outcome when no request can be made (missing companion...). */
  prepare(input: VerifyInput, base: URL): VerifyProbe | VerifyOutcome;
  /** Reads the provider's answer. Only called with a response from the base's origin. */
  interpret(response: HttpResponse, input: VerifyInput): VerifyOutcome;
}

export function isOutcome(value: VerifyProbe | VerifyOutcome): value is VerifyOutcome {
  return "status" in value;
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The media type of an answer, lower case, without parameters ("" when none is given). */
function mediaType(response: HttpResponse): string {
  return (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Unknown for an answer that is a web page: no provider API verifiers call answers HTML, while
 * a captive portal, a gateway's error page or an SSO sign-in page in front of it does, with any
 * status. Its status says nothing about the key.
 */
export function webPageAnswer(response: HttpResponse): VerifyOutcome | undefined {
  const type = mediaType(response);
  const isPage =
    type === "text/html" ||
    type === "application/xhtml+xml" ||
    /^\s*<(?:!doctype\s+html|html)[\s>]/i.test(response.body.slice(0, 1024));
  if (!isPage) return undefined;
  return {
    status: "unknown",
    httpStatus: response.status,
    detail: `the answer (${response.status}) is a web page (${type || "HTML"}), not the provider's API: a proxy, gateway or sign-in page may stand in front of it`,
  };
}

/**
 * Unknown for a body that is not JSON, from an API that answers JSON: said where it would
 * otherwise count as live. An empty body passes (the status alone speaks).
 */
export function notJsonAnswer(response: HttpResponse): VerifyOutcome | undefined {
  if (response.body.trim() === "" || parseJsonBody(response.body) !== undefined) return undefined;
  const type = mediaType(response);
  return {
    status: "unknown",
    httpStatus: response.status,
    detail: `the answer (${response.status}) is not JSON${type ? ` (${type})` : ""}, as the provider's API answers: something else may stand in front of it`,
  };
}

/** The outcome for an answer no rule classified. */
export function unexpectedAnswer(response: HttpResponse): VerifyOutcome {
  const status = response.status;
  if (status >= 300 && status < 400) {
    return { status: "unknown", httpStatus: status, detail: `redirect (${status}) not followed` };
  }
  if (status >= 500) {
    return { status: "unknown", httpStatus: status, detail: `provider error (${status})` };
  }
  return { status: "unknown", httpStatus: status, detail: `unexpected answer (${status})` };
}
