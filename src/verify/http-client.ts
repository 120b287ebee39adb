import {
  type ProxyServer,
  type ProxySettings,
  proxyAddress,
  proxyFor,
  readProxySettings,
} from "./proxy-settings.js";
import { unsendableReason } from "./url-policy.js";

/**
 * The one HTTP client for verification and revocation, on Node's built-in fetch. It refuses
 * URLs the policy forbids, never follows a redirect to another origin (nor any, when asked),
 * caps the body it reads and gives every request a timeout. It does not retry: the scheduler
 * decides that.
 */

export interface HttpRequest {
  readonly method: "GET" | "POST" | "HEAD" | "DELETE" | "PUT" | "PATCH";
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Per-request time limit in milliseconds (whole exchange, body included). */
  readonly timeoutMs: number;
  /**
   * False: a redirect is the answer, returned as it came. Otherwise same-origin redirects are
   * followed (a few at most) and one to another origin is an HttpFailure.
   */
  readonly followRedirects?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body as text, at most MAX_BODY_BYTES of it. */
  readonly body: string;
  /** The URL that answered (differs from the request after a same-origin redirect). */
  readonly url: URL;
}

export type HttpFailureKind = "timeout" | "network" | "refused-url" | "cross-origin-redirect";

/** The request got no usable answer. Messages never contain the request's headers or body. */
export class HttpFailure extends Error {
  override readonly name = "HttpFailure";
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  readonly userAgent: string;
  /** Same-origin redirects followed before giving up (default 3). */
  readonly maxRedirects?: number;
  /** The runner's environment: HTTPS_PROXY, HTTP_PROXY and NO_PROXY there are honoured. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

type Fetch = (url: URL, init: RequestInit) => Promise<Response>;

/** The proxy closed the connection before a tunnel was set up. */
class TunnelDropped extends Error {
  override readonly name = "TunnelDropped";
  constructor(cause: unknown) {
    super("the proxy closed the connection", { cause });
  }
}

/** How one URL is called: directly, or through the proxy the environment names for it. */
interface Route {
  readonly fetch: Fetch;
  readonly proxy?: ProxyServer;
}

/**
 * Node's fetch reads no proxy variables, and behind a company proxy every check would end in
 * "could not reach". Calls go through undici's ProxyAgent where the environment names a proxy
 * (https through CONNECT, so the proxy sees the host but not the key); undici is loaded only
 * when one is set. Which calls it takes is decided here (see proxyFor), so a failure can say
 * whether the proxy or the provider could not be reached.
 */
function routerFor(settings: ProxySettings): (url: URL) => Promise<Route> {
  if (!settings.http && !settings.https) return async () => ({ fetch });
  let loaded: Promise<typeof import("undici")> | undefined;
  const agents = new Map<string, Promise<Fetch>>();
  const viaProxy = (proxy: ProxyServer): Promise<Fetch> => {
    let agent = agents.get(proxy.url.href);
    if (!agent) {
      loaded ??= import("undici").then(
        // undici is CommonJS: bundled, its exports sit on `default`.
        (module) => (module as unknown as { default?: typeof module }).default ?? module,
      );
      agent = loaded.then((undici) => {
        const dispatcher = new undici.ProxyAgent({
          uri: proxy.url.href,
          clientFactory: (origin, options) => {
            const pool = new undici.Pool(origin, options);
            type Connect = (options: object) => Promise<unknown>;
            const connect = (pool.connect as unknown as Connect).bind(pool);
            // A proxy that drops the connection while a tunnel is set up makes undici (7.x)
            // reconnect in a tight loop until the call times out, and go on after it: a plain
            // error here fails the call at once instead (nodejs/undici#3897).
            const connectOnce: Connect = (params) =>
              connect(params).catch((error: unknown) => {
                if ((error as { code?: unknown }).code !== "UND_ERR_SOCKET") throw error;
                throw new TunnelDropped(error);
              });
            pool.connect = connectOnce as unknown as typeof pool.connect;
            return pool;
          },
        });
        return (url: URL, init: RequestInit) =>
          undici.fetch(url, { ...init, dispatcher } as never) as unknown as Promise<Response>;
      });
      agents.set(proxy.url.href, agent);
    }
    return agent;
  };
  return async (url) => {
    const proxy = proxyFor(settings, url);
    return proxy ? { fetch: await viaProxy(proxy), proxy } : { fetch };
  };
}

/**
 * Enough for a management API's page of keys (an organisation's key list runs to hundreds of
 * kilobytes), while a provider that streams without end still costs bounded memory.
 */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY_BYTES);
}

/** Headers as a plain record; Headers gives the names in lower case. */
export function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** The errors an error's `cause` chain holds, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let at: unknown = error; at !== undefined && chain.length < 8; ) {
    chain.push(at);
    at = at instanceof Error ? at.cause : undefined;
  }
  return chain;
}

function describeNetworkError(error: unknown): string {
  for (const cause of causes(error).slice(1)) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Failures of the connection to the proxy itself: with a proxy, the only one opened here. */
const CONNECT_FAILURES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** What went wrong on a call through a proxy: the proxy, or what lies behind it. */
function describeProxyFailure(error: unknown, url: URL, proxy: ProxyServer): string {
  const where = `the proxy ${proxyAddress(proxy)} (${proxy.variable})`;
  for (const cause of causes(error)) {
    const refused = /Proxy response \((\d+)\)/.exec(cause instanceof Error ? cause.message : "");
    if (refused) return `${where} answered ${refused[1]} when asked to connect to ${url.host}`;
  }
  if (causes(error).some((cause) => cause instanceof TunnelDropped))
    return `${where} closed the connection when asked to connect to ${url.host}`;
  const reason = describeNetworkError(error);
  return CONNECT_FAILURES.has(reason)
    ? `could not reach ${where}: ${reason}`
    : `could not reach ${url.host} through ${where}: ${reason}`;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const maxRedirects = options.maxRedirects ?? 3;
  // Read now: a proxy variable that is no address fails before the first call, naming it.
  const route = routerFor(readProxySettings(options.env ?? {}));

  const sendOnce = async (request: HttpRequest, url: URL, signal: AbortSignal) => {
    const refused = unsendableReason(url);
    if (refused) throw new HttpFailure("refused-url", refused);
    const headers = { "user-agent": options.userAgent, ...request.headers };
    const { fetch: send, proxy } = await route(url);
    try {
      const response = await send(url, {
        method: request.method,
        headers,
        body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
        redirect: "manual",
        signal,
      });
      return { response, body: await readCapped(response) };
    } catch (error) {
      const through = proxy ? ` through the proxy ${proxyAddress(proxy)}` : "";
      if (signal.aborted) {
        throw new HttpFailure(
          "timeout",
          `no answer from ${url.host}${through} within ${request.timeoutMs} ms`,
        );
      }
      throw new HttpFailure(
        "network",
        proxy
          ? describeProxyFailure(error, url, proxy)
          : `could not reach ${url.host}: ${describeNetworkError(error)}`,
      );
    }
  };

  return {
    async send(request) {
      const signal = AbortSignal.timeout(request.timeoutMs);
      let url = request.url;
      let current = request;
      for (let hop = 0; ; hop++) {
        const { response, body } = await sendOnce(current, url, signal);
        const location = response.headers.get("location");
        if (
          request.followRedirects === false ||
          !REDIRECTS.has(response.status) ||
          location === null ||
          hop >= maxRedirects
        ) {
          return { status: response.status, headers: headerRecord(response.headers), body, url };
        }
        const next = new URL(location, url);
        if (next.origin !== request.url.origin) {
          // Following would hand the key (in a header or body) to a host nobody chose.
          throw new HttpFailure(
            "cross-origin-redirect",
            `${url.host} redirected to ${next.host}; not followed`,
          );
        }
        if (response.status === 303) current = { ...current, method: "GET", body: undefined };
        url = next;
      }
    },
  };
}
