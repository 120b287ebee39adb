import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 (random port) that stands in for a provider API or GitHub in
 * tests. Routes reply from a script; every request is logged so a test can assert what was sent
 * where, how often and how many at once.
 *
 *   const server = await startStandInServer({
 *     routes: {
 *       "GET /v1/models": { status: 200, body: { data: [] } },
 *       "POST /api/auth.test": [                       // a sequence: one reply per request,
 *         { status: 429, headers: { "retry-after": "1" } },  // the last one repeats
 *         { status: 200, body: { ok: true } },
 *       ],
 *       "/v1/keys": (request) =>                       // any method; a function decides
 *         request.headers.authorization === `Bearer ${live}` ? { status: 200 } : { status: 401 },
 *     },
 *   });
 *   onTestFinished(() => server.close());
 *   ... run the code under test against server.url ...
 *   expect(server.requests).toHaveLength(1);
 *   expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${live}`);
 *
 * Route keys are "METHOD /path" or "/path" (any method); the path is matched without the query
 * string. A key ending in "/*" matches that prefix. Unmatched requests get `fallback` (default
 * 404) and are still logged.
 */

export interface StandInReply {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON (with a JSON content type). */
  readonly body?: unknown;
  /** Wait this long before answering (for timeout tests). */
  readonly delayMs?: number;
  /** Destroy the socket instead of answering (for network-error tests). */
  readonly hangUp?: boolean;
}

export type StandInHandler = (request: LoggedRequest) => StandInReply | Promise<StandInReply>;

/** A reply, a sequence of replies (the last repeats), or a function of the request. */
export type StandInScript = StandInReply | readonly StandInReply[] | StandInHandler;

export interface LoggedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Raw query string without `?` ("" when none). */
  readonly query: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Route key that answered, or undefined when the fallback did. */
  readonly route: string | undefined;
  /** Milliseconds since the server started, when the request arrived. */
  readonly receivedAt: number;
  /** Date.now() when the request arrived (to compare servers with each other). */
  readonly time: number;
}

export interface StandInServerOptions {
  readonly routes?: Readonly<Record<string, StandInScript>>;
  readonly fallback?: StandInReply;
}

export interface StandInServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order. */
  readonly requests: readonly LoggedRequest[];
  /** Requests whose path equals `path` (and method, when given as "METHOD /path"). */
  requestsTo(route: string): LoggedRequest[];
  /** Most requests that were being answered at the same moment. */
  readonly maxInFlight: number;
  /** Adds or replaces a route (its sequence position starts again). */
  setRoute(route: string, script: StandInScript): void;
  /** Forgets logged requests and the in-flight maximum. */
  clearLog(): void;
  close(): Promise<void>;
}

interface RouteKey {
  readonly method: string | undefined;
  readonly path: string;
  readonly prefix: boolean;
}

function parseRouteKey(key: string): RouteKey {
  const space = key.indexOf(" ");
  const method = space === -1 ? undefined : key.slice(0, space).toUpperCase();
  const path = space === -1 ? key : key.slice(space + 1);
  if (path.endsWith("/*")) return { method, path: path.slice(0, -1), prefix: true };
  return { method, path, prefix: false };
}

function routeMatches(key: RouteKey, method: string, path: string): boolean {
  if (key.method !== undefined && key.method !== method) return false;
  return key.prefix ? path.startsWith(key.path) : path === key.path;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sendReply(response: ServerResponse, reply: StandInReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (typeof reply.body === "string") {
    payload = reply.body;
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
      headers["content-type"] = "application/json";
    }
  }
  response.writeHead(reply.status ?? 200, headers);
  response.end(payload);
}

export async function startStandInServer(
  options: StandInServerOptions = {},
): Promise<StandInServer> {
  const routes = new Map<string, { key: RouteKey; script: StandInScript; calls: number }>();
  const setRoute = (route: string, script: StandInScript): void => {
    routes.set(route, { key: parseRouteKey(route), script, calls: 0 });
  };
  for (const [route, script] of Object.entries(options.routes ?? {})) setRoute(route, script);
  const fallback: StandInReply = options.fallback ?? { status: 404, body: { error: "no route" } };

  const requests: LoggedRequest[] = [];
  const started = Date.now();
  let inFlight = 0;
  let maxInFlight = 0;

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const time = Date.now();
      const receivedAt = time - started;
      const body = await readBody(request);
      const method = (request.method ?? "GET").toUpperCase();
      const target = request.url ?? "/";
      const queryAt = target.indexOf("?");
      const path = queryAt === -1 ? target : target.slice(0, queryAt);
      const query = queryAt === -1 ? "" : target.slice(queryAt + 1);
      // Exact routes win over prefix routes; among equals, the first one set.
      const candidates = [...routes.entries()].filter(([, r]) => routeMatches(r.key, method, path));
      const matched = candidates.find(([, r]) => !r.key.prefix) ?? candidates[0];
      const logged: LoggedRequest = {
        method,
        path,
        query,
        headers: flattenHeaders(request),
        body,
        route: matched?.[0],
        receivedAt,
        time,
      };
      requests.push(logged);

      let reply = fallback;
      if (matched) {
        const route = matched[1];
        const call = route.calls++;
        const script = route.script;
        if (typeof script === "function") reply = await script(logged);
        else if (Array.isArray(script))
          reply = script[Math.min(call, script.length - 1)] ?? fallback;
        else reply = script as StandInReply;
      }
      if (reply.delayMs) await delay(reply.delayMs);
      if (reply.hangUp) {
        request.socket.destroy();
        return;
      }
      if (!response.destroyed) sendReply(response, reply);
    } finally {
      inFlight--;
    }
  };

  const server: Server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(`stand-in server error: ${String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    requestsTo(route: string) {
      const key = parseRouteKey(route);
      return requests.filter((r) => routeMatches(key, r.method, r.path));
    },
    setRoute,
    clearLog() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from fetch would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
