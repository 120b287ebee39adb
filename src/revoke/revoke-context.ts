import { type EndpointOverrides, joinBase, resolveBase } from "../verify/endpoint-overrides.js";
import {
  type HttpClient,
  HttpFailure,
  type HttpRequest,
  type HttpResponse,
  headerRecord,
} from "../verify/http-client.js";
import type { HostRateLimit } from "../verify/limiters.js";
import type { Env, RevokeCall, RevokeContext, Revoker, RevokeTarget } from "./revoker.js";
import { type Credential, credentialsInHeaders, scrubCredentials } from "./scrub-credentials.js";

/**
 * Builds the context a revoker works through, for one call group (one key, or one GitHub
 * batch): base URLs from the runner's overrides or the revoker's built-in hosts (never from a
 * rule file or the scanned repository), the shared HTTP client with its URL policy and timeout,
 * and an audit entry before and after every request.
 */

/** What the context reports to the audit log; the runner adds the key's identity. */
export interface CallRecord {
  readonly step: "request" | "response";
  readonly method: string;
  readonly url: string;
  readonly destructive: boolean;
  readonly httpStatus?: number;
  readonly outcome: "sending" | "answered" | "no-answer";
  readonly detail?: string;
}

export interface RevokeContextOptions {
  readonly revoker: Revoker;
  readonly targets: readonly RevokeTarget[];
  readonly env: Env;
  readonly endpoints: EndpointOverrides;
  readonly http: HttpClient;
  readonly timeoutMs: number;
  readonly rateLimit?: HostRateLimit;
  /** Called before and after each request, for every target of the group. */
  readonly record: (target: RevokeTarget, record: CallRecord) => void;
  /** Credentials from the environment, scrubbed from every answer (see scrub-credentials.ts). */
  readonly credentials?: readonly Credential[];
}

/** The base URL a revoker's service resolves to. */
export function resolveRevokerBase(
  revoker: Revoker,
  endpoints: EndpointOverrides,
  service: string,
): URL | undefined {
  return resolveBase(endpoints, service, revoker.bases[service]);
}

/** The URL as logged: origin and path only, since query strings may carry identifiers. */
function loggedUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

const METHODS = new Set<HttpRequest["method"]>(["GET", "POST", "HEAD", "DELETE", "PUT", "PATCH"]);

/** A fetch Response from the client's answer (null body where fetch forbids one). */
function toResponse(answer: HttpResponse): Response {
  const noBody = answer.status === 204 || answer.status === 205 || answer.status === 304;
  const response = new Response(noBody ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  });
  Object.defineProperty(response, "url", { value: answer.url.href });
  return response;
}

/**
 * An answer with credentials scrubbed: the environment's first, so they keep their names, then
 * whatever else went out in the request's headers.
 */
function withoutCredentials(
  response: HttpResponse,
  ...credentials: readonly (readonly Credential[])[]
): HttpResponse {
  const scrub = (text: string) =>
    credentials.reduce((out, group) => scrubCredentials(out, group), text);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = scrub(value);
  return { ...response, headers, body: scrub(response.body) };
}

export function createRevokeContext(options: RevokeContextOptions): RevokeContext {
  const baseOf = (service: string) =>
    resolveRevokerBase(options.revoker, options.endpoints, service);
  // The leaked keys themselves stay: report redaction hides them, and a revoker may need to
  // find them in an answer.
  const ownSecrets = options.targets.flatMap((target) => [target.secret, target.companion?.secret]);

  const sendTo = async (
    base: URL,
    request: Omit<HttpRequest, "timeoutMs">,
    destructive: boolean,
  ): Promise<HttpResponse> => {
    const record = (entry: Omit<CallRecord, "method" | "url" | "destructive">) => {
      for (const target of options.targets) {
        options.record(target, {
          method: request.method,
          url: loggedUrl(request.url),
          destructive,
          ...entry,
        });
      }
    };
    record({ step: "request", outcome: "sending" });
    let response: HttpResponse;
    try {
      await options.rateLimit?.acquire(request.url.host);
      response = await options.http.send({ ...request, timeoutMs: options.timeoutMs });
    } catch (error) {
      if (error instanceof HttpFailure)
        record({ step: "response", outcome: "no-answer", detail: error.message });
      throw error;
    }
    if (response.url.origin !== base.origin) {
      const detail = `answer came from ${response.url.host}, not ${base.host}`;
      record({ step: "response", outcome: "no-answer", detail });
      throw new HttpFailure("cross-origin-redirect", detail);
    }
    record({ step: "response", outcome: "answered", httpStatus: response.status });
    return withoutCredentials(
      response,
      options.credentials ?? [],
      credentialsInHeaders(request.headers, ownSecrets),
    );
  };

  const baseOrFail = (service: string): URL => {
    const base = baseOf(service);
    if (!base)
      throw new HttpFailure(
        "refused-url",
        `no base URL for ${service}: pass --endpoint ${service}=https://host`,
      );
    return base;
  };

  return {
    env: options.env,
    baseOf,
    async send(call: RevokeCall) {
      const base = baseOrFail(call.service ?? options.revoker.service);
      const url = joinBase(base, call.path);
      if (!url)
        throw new HttpFailure("refused-url", `the path ${call.path} would leave ${base.host}`);
      return sendTo(
        base,
        {
          method: call.method,
          url,
          ...(call.headers ? { headers: call.headers } : {}),
          ...(call.body !== undefined ? { body: call.body } : {}),
        },
        call.destructive,
      );
    },
    fetchFor(service) {
      const base = baseOrFail(service);
      const clientFetch = async (
        input: string | URL | Request,
        init?: RequestInit,
      ): Promise<Response> => {
        const url = new URL(input instanceof Request ? input.url : input);
        // A client library builds URLs from the base it was given; anything else is refused.
        if (url.origin !== base.origin)
          throw new HttpFailure("refused-url", `${url.host} is not ${base.host}`);
        const method = (init?.method ?? "GET").toUpperCase() as HttpRequest["method"];
        if (!METHODS.has(method))
          throw new HttpFailure("refused-url", `method ${method} not supported`);
        const body = typeof init?.body === "string" ? init.body : undefined;
        const answer = await sendTo(
          base,
          {
            method,
            url,
            headers: headerRecord(init?.headers),
            ...(body !== undefined ? { body } : {}),
          },
          true,
        );
        return toResponse(answer);
      };
      return clientFetch as typeof fetch;
    },
  };
}
