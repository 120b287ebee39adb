import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import type { Finding } from "../../src/types.js";
import { createHttpClient } from "../../src/verify/http-client.js";
import type { VerifiableRule } from "../../src/verify/select-verify-config.js";
import { type VerifyFindingsOptions, verifyFindings } from "../../src/verify/verify-findings.js";
import { standIn } from "../helpers/stand-in.js";
import type { StandInServer } from "../helpers/stand-in-server.js";
import { buildFinding, buildRule } from "./build-finding.js";

const newKey = (): string => `tk_${expandTemplate("{{alnum:32}}")}`;

/** A Bearer /v1/models rule whose built-in base is `base`. */
function modelsRule(id: string, base: string | undefined, extra: Record<string, unknown> = {}) {
  return buildRule(id, {
    service: id,
    ...(base ? { base } : {}),
    path: "/v1/models",
    headers: { Authorization: "Bearer {{secret}}" },
    restricted: [403],
    invalid: [401],
    ...extra,
  });
}

/** Answers by key: live keys 200, restricted 403, everything else 401. */
function keyedReplies(live: string[], restricted: string[] = []) {
  return (request: { headers: Readonly<Record<string, string>> }) => {
    const auth = request.headers.authorization ?? "";
    if (live.some((key) => auth === `Bearer ${key}`)) return { status: 200, body: { data: [] } };
    if (restricted.some((key) => auth === `Bearer ${key}`)) return { status: 403 };
    return { status: 401, body: { error: "invalid key" } };
  };
}

function options(rules: VerifiableRule[], overrides: Partial<VerifyFindingsOptions> = {}) {
  return {
    rules,
    builtinRules: rules.filter((rule) => rule.source.builtin),
    endpoints: new Map<string, URL>(),
    trustConfig: false,
    http: createHttpClient({ userAgent: "keywarden-test" }),
    concurrency: 8,
    timeoutMs: 2000,
    ratePerHost: 1000,
    ...overrides,
  } satisfies VerifyFindingsOptions;
}

function statusOf(findings: Finding[], secret: string): string | undefined {
  return findings.find((finding) => finding.secret === secret)?.verification?.status;
}

describe("verifyFindings", () => {
  it("reports live, live-restricted and invalid from the provider's status codes", async () => {
    const [live, restricted, invalid] = [newKey(), newKey(), newKey()];
    const server = await standIn({
      routes: { "GET /v1/models": keyedReplies([live], [restricted]) },
    });
    const rule = modelsRule("acme", server.url);
    const findings = [live, restricted, invalid].map((secret) =>
      buildFinding({ ruleId: "acme", secret }),
    );

    const result = await verifyFindings(findings, options([rule]));

    expect(statusOf(result, live)).toBe("live");
    expect(statusOf(result, restricted)).toBe("live-restricted");
    expect(statusOf(result, invalid)).toBe("invalid");
    const verification = result.find((f) => f.secret === invalid)!.verification!;
    expect(verification.httpStatus).toBe(401);
    expect(Number.isNaN(Date.parse(verification.checkedAt))).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.headers["user-agent"] === "keywarden-test")).toBe(true);
  });

  it("waits for Retry-After after a 429 and then reports the real answer", async () => {
    const key = newKey();
    const server = await standIn({
      routes: {
        "GET /v1/models": [
          { status: 429, headers: { "retry-after": "1" } },
          { status: 200, body: { data: [] } },
        ],
      },
    });
    const result = await verifyFindings(
      [buildFinding({ ruleId: "acme", secret: key })],
      options([modelsRule("acme", server.url)]),
    );
    expect(result[0]?.verification?.status).toBe("live");
    expect(server.requests).toHaveLength(2);
    const gap = server.requests[1]!.receivedAt - server.requests[0]!.receivedAt;
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it("holds no concurrency slot while waiting out a 429: another provider's keys go on", async () => {
    const limited = await standIn({
      routes: {
        "GET /v1/models": [
          { status: 429, headers: { "retry-after": "1" } },
          { status: 429, headers: { "retry-after": "1" } },
          { status: 200, body: { data: [] } },
          { status: 200, body: { data: [] } },
        ],
      },
    });
    const other = await standIn({ routes: { "GET /v1/models": { status: 401 } } });
    const findings = [
      buildFinding({ ruleId: "slow", secret: newKey() }),
      buildFinding({ ruleId: "slow", secret: newKey() }),
      buildFinding({ ruleId: "other", secret: newKey() }),
    ];
    const started = Date.now();
    const result = await verifyFindings(
      findings,
      options([modelsRule("slow", limited.url), modelsRule("other", other.url)], {
        concurrency: 2,
      }),
    );
    expect(result.map((f) => f.verification?.status)).toEqual(["live", "live", "invalid"]);
    // Both slots were taken by the rate-limited host's keys; the other provider's check ran
    // while they waited, not after.
    expect(other.requests[0]!.time - started).toBeLessThan(800);
  });

  it("reports rate-limited when 429 persists, unknown on 500 and on a 503 that persists", async () => {
    const [limited, broken, down] = [newKey(), newKey(), newKey()];
    const server = await standIn({
      routes: {
        "GET /v1/models": (request) => {
          const auth = request.headers.authorization;
          if (auth === `Bearer ${limited}`) return { status: 429, headers: { "retry-after": "0" } };
          if (auth === `Bearer ${broken}`) return { status: 500 };
          return { status: 503 };
        },
      },
    });
    const findings = [limited, broken, down].map((secret) =>
      buildFinding({ ruleId: "acme", secret }),
    );
    const result = await verifyFindings(
      findings,
      options([modelsRule("acme", server.url)], { maxRetries: 1 }),
    );

    expect(statusOf(result, limited)).toBe("rate-limited");
    expect(statusOf(result, broken)).toBe("unknown");
    expect(result.find((f) => f.secret === broken)?.verification?.httpStatus).toBe(500);
    expect(statusOf(result, down)).toBe("unknown");
    // 429 and 503 are retried (once here), 500 is not.
    const count = (key: string) =>
      server.requests.filter((r) => r.headers.authorization === `Bearer ${key}`).length;
    expect([count(limited), count(broken), count(down)]).toEqual([2, 1, 2]);
  });

  it("gives up after the timeout and reports unknown", async () => {
    const key = newKey();
    const server = await standIn({ routes: { "GET /v1/models": { status: 200, delayMs: 3000 } } });
    const result = await verifyFindings(
      [buildFinding({ ruleId: "acme", secret: key })],
      options([modelsRule("acme", server.url)], { timeoutMs: 300 }),
    );
    expect(result[0]?.verification?.status).toBe("unknown");
    expect(result[0]?.verification?.detail).toMatch(/within 300 ms/);
  });

  it("reports unknown when the connection breaks, after retrying", async () => {
    const server = await standIn({ routes: { "GET /v1/models": { hangUp: true } } });
    const result = await verifyFindings(
      [buildFinding({ ruleId: "acme", secret: newKey() })],
      options([modelsRule("acme", server.url)], { maxRetries: 1 }),
    );
    expect(result[0]?.verification?.status).toBe("unknown");
    expect(result[0]?.verification?.detail).toMatch(/could not reach 127\.0\.0\.1/);
    expect(server.requests).toHaveLength(2);
  });

  it("checks each unique secret once however often it appears", async () => {
    const keys = [newKey(), newKey(), newKey()];
    const server = await standIn({ routes: { "GET /v1/models": keyedReplies([keys[0]!]) } });
    const findings = keys.flatMap((secret) =>
      Array.from({ length: 5 }, (_, i) => buildFinding({ ruleId: "acme", secret, line: i + 1 })),
    );
    const result = await verifyFindings(findings, options([modelsRule("acme", server.url)]));

    expect(server.requests).toHaveLength(3);
    expect(result).toHaveLength(15);
    expect(result.filter((f) => f.verification?.status === "live")).toHaveLength(5);
  });

  it("holds the concurrency limit", async () => {
    const server = await standIn({ routes: { "GET /v1/models": { status: 401, delayMs: 80 } } });
    const findings = Array.from({ length: 12 }, () =>
      buildFinding({ ruleId: "acme", secret: newKey() }),
    );
    await verifyFindings(findings, options([modelsRule("acme", server.url)], { concurrency: 3 }));
    expect(server.requests).toHaveLength(12);
    expect(server.maxInFlight).toBe(3);
  });

  it("spaces request starts per host to the rate limit", async () => {
    const server = await standIn({ routes: { "GET /v1/models": { status: 401 } } });
    const other = await standIn({ routes: { "GET /v1/models": { status: 401 } } });
    const findings = Array.from({ length: 6 }, () =>
      buildFinding({ ruleId: "acme", secret: newKey() }),
    );
    const others = Array.from({ length: 6 }, () =>
      buildFinding({ ruleId: "other", secret: newKey() }),
    );
    await verifyFindings(
      [...findings, ...others],
      options([modelsRule("acme", server.url), modelsRule("other", other.url)], {
        ratePerHost: 10,
      }),
    );
    for (const s of [server, other]) {
      const times = s.requests.map((r) => r.receivedAt);
      expect(times).toHaveLength(6);
      // 10 per second: 6 starts span 5 intervals (500 ms); unlimited they would take a few ms.
      // The margin absorbs connection set-up delaying the first arrivals on a busy machine.
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(300);
    }
    // Hosts are limited separately: the second host is served before the first is done.
    const first = (s: StandInServer) => Math.min(...s.requests.map((r) => r.time));
    const last = (s: StandInServer) => Math.max(...s.requests.map((r) => r.time));
    expect(first(other)).toBeLessThan(last(server));
    expect(first(server)).toBeLessThan(last(other));
  });

  it("sends keys only to the built-in base, whatever a config rule says", async () => {
    const provider = await standIn({ routes: { "GET /v1/models": { status: 200 } } });
    const attacker = await standIn({ fallback: { status: 200 } });
    const builtin = buildRule(
      "acme",
      modelsRule("acme", provider.url).raw.verify,
      { file: "rules/acme.yaml", builtin: true },
      /tk_[A-Za-z0-9]{32}/dg,
    );
    // The config redefines the built-in rule with its own host, and adds a rule of its own.
    const redefined = buildRule(
      "acme",
      { service: "acme", base: attacker.url, path: "/collect", headers: { "X-Key": "{{secret}}" } },
      { file: ".keywarden.yaml", builtin: false },
    );
    const added = buildRule(
      "exfil",
      { service: "exfil", base: attacker.url, path: "/collect?k={{secret}}" },
      { file: ".keywarden.yaml", builtin: false },
    );
    const [a, b] = [newKey(), newKey()];
    // Another provider's key, which the config's pattern for "acme" may match too.
    const foreign = `sk_${expandTemplate("{{alnum:32}}")}`;
    const result = await verifyFindings(
      [
        buildFinding({ ruleId: "acme", secret: a }),
        buildFinding({ ruleId: "exfil", secret: b }),
        buildFinding({ ruleId: "acme", secret: foreign }),
      ],
      { ...options([redefined, added]), builtinRules: [builtin] },
    );
    expect(attacker.requests).toHaveLength(0);
    expect(provider.requests).toHaveLength(1);
    expect(statusOf(result, a)).toBe("live");
    expect(statusOf(result, b)).toBe("unsupported");
    expect(result[1]?.verification?.detail).toMatch(/\.keywarden\.yaml.*--trust-config/);
    expect(statusOf(result, foreign)).toBe("unsupported");
  });

  it("verifies a config rule only with trustConfig", async () => {
    const server = await standIn({ routes: { "GET /v1/models": { status: 200 } } });
    const rule = buildRule(
      "in-house",
      {
        service: "in-house",
        base: server.url,
        path: "/v1/models",
        headers: { Authorization: "Bearer {{secret}}" },
      },
      { file: "team.yaml", builtin: false },
    );
    const finding = buildFinding({ ruleId: "in-house", secret: newKey() });
    const untrusted = await verifyFindings([finding], options([rule]));
    expect(untrusted[0]?.verification?.status).toBe("unsupported");
    expect(server.requests).toHaveLength(0);
    const trusted = await verifyFindings([finding], options([rule], { trustConfig: true }));
    expect(trusted[0]?.verification?.status).toBe("live");
    expect(server.requests).toHaveLength(1);
  });

  it("sends a companion a rule requires only when a built-in rule found it, or with trustConfig", async () => {
    const server = await standIn({ routes: { "GET /v1/models": { status: 200 } } });
    const pairRule = modelsRule("paired", server.url, {
      headers: { Authorization: "Bearer {{companion}}:{{secret}}" },
    });
    const helper = buildRule("helper", undefined, { file: ".keywarden.yaml", builtin: false });
    const rules = [pairRule, helper];
    const companion = { ruleId: "helper", secret: newKey(), line: 4 };
    const finding = buildFinding({ ruleId: "paired", secret: newKey(), line: 5, companion });

    const [untrusted] = await verifyFindings([finding], options(rules));
    expect(untrusted?.verification).toMatchObject({
      status: "unsupported",
      detail:
        "its other half (line 4) was found by the config's rule helper, not keywarden's own: it is not sent to the provider without --trust-config",
    });
    expect(server.requests).toHaveLength(0);
    const [trusted] = await verifyFindings([finding], options(rules, { trustConfig: true }));
    expect(trusted?.verification?.status).toBe("live");
    expect(server.requests[0]?.headers.authorization).toBe(
      `Bearer ${companion.secret}:${finding.secret}`,
    );
  });

  it("uses an endpoint override, and says how to give one for a self-hosted service", async () => {
    const server = await standIn({ routes: { "GET /gw/v1/models": { status: 200 } } });
    const rule = modelsRule("selfhosted", undefined);
    const finding = buildFinding({ ruleId: "selfhosted", secret: newKey() });

    const without = await verifyFindings([finding], options([rule]));
    expect(without[0]?.verification?.status).toBe("unsupported");
    expect(without[0]?.verification?.detail).toContain("--endpoint selfhosted=");
    expect(without[0]?.verification?.detail).toContain("KEYWARDEN_ENDPOINT_SELFHOSTED");

    const endpoints = new Map([["selfhosted", new URL(`${server.url}/gw`)]]);
    const withEndpoint = await verifyFindings([finding], options([rule], { endpoints }));
    expect(withEndpoint[0]?.verification?.status).toBe("live");
    expect(server.requests.map((r) => r.path)).toEqual(["/gw/v1/models"]);
  });

  it("follows no redirect, to another host or its own, and says where it pointed", async () => {
    const elsewhere = await standIn({ fallback: { status: 200 } });
    const key = newKey();
    const server = await standIn({
      routes: {
        "GET /a/v1/models": { status: 302, headers: { location: `${elsewhere.url}/v1/models` } },
        // A gateway sending a rejected key to its sign-in page, the key in the path and query.
        "GET /b/v1/models": {
          status: 302,
          headers: { location: `/login/${key}?next=/b/v1/models&key=${key}` },
        },
        "GET /login/*": { status: 200, body: { signIn: true } },
      },
    });
    const finding = buildFinding({ ruleId: "acme", secret: key });
    const [toOther] = await verifyFindings(
      [finding],
      options([modelsRule("acme", `${server.url}/a`)]),
    );
    const [toOwn] = await verifyFindings(
      [finding],
      options([modelsRule("acme", `${server.url}/b`)]),
    );

    expect(elsewhere.requests).toHaveLength(0);
    expect(server.requestsTo("/login/*")).toHaveLength(0);
    expect(toOther?.verification).toMatchObject({
      status: "unknown",
      httpStatus: 302,
      detail: `redirected (302) to ${new URL(elsewhere.url).host}/v1/models; not followed: the provider's API answers this call itself`,
    });
    expect(toOwn?.verification).toMatchObject({ status: "unknown", httpStatus: 302 });
    expect(toOwn?.verification?.detail).toMatch(
      new RegExp(`^redirected \\(302\\) to ${new URL(server.url).host}/login/…; not followed`),
    );
    expect(toOwn?.verification?.detail).not.toContain(key.slice(3));
  });

  it("reports unknown, not live, for a web page or a body that is not JSON", async () => {
    const page = "<!DOCTYPE html><html><body><form>Sign in</form></body></html>";
    const server = await standIn({
      routes: {
        "GET /html/v1/models": {
          status: 200,
          headers: { "content-type": "text/html" },
          body: page,
        },
        "GET /untyped/v1/models": { status: 200, body: page },
        "GET /html401/v1/models": {
          status: 401,
          headers: { "content-type": "text/html; charset=utf-8" },
          body: page,
        },
        "GET /text/v1/models": {
          status: 200,
          headers: { "content-type": "text/plain" },
          body: "OK",
        },
        "GET /json/v1/models": { status: 200, body: { data: [] } },
      },
    });
    const statusAt = async (prefix: string) => {
      const [verified] = await verifyFindings(
        [buildFinding({ ruleId: "acme", secret: newKey() })],
        options([modelsRule("acme", `${server.url}/${prefix}`)]),
      );
      return verified?.verification;
    };
    for (const prefix of ["html", "untyped", "html401"]) {
      const verification = await statusAt(prefix);
      expect(verification?.status, prefix).toBe("unknown");
      expect(verification?.detail, prefix).toMatch(
        /is a web page \((text\/html|HTML)\), not the provider's API/,
      );
    }
    expect(await statusAt("text")).toMatchObject({
      status: "unknown",
      httpStatus: 200,
      detail:
        "the answer (200) is not JSON (text/plain), as the provider's API answers: something else may stand in front of it",
    });
    expect((await statusAt("json"))?.status).toBe("live");
  });

  it("never reports live for a provider answer the rule does not list", async () => {
    const server = await standIn({ routes: { "GET /v1/models": { status: 204 } } });
    const result = await verifyFindings(
      [buildFinding({ ruleId: "acme", secret: newKey() })],
      options([modelsRule("acme", server.url)]),
    );
    expect(result[0]?.verification).toMatchObject({ status: "unknown", httpStatus: 204 });
  });

  it("reports unsupported for rules without a verifier", async () => {
    const rule = buildRule("plain", undefined);
    const result = await verifyFindings(
      [buildFinding({ ruleId: "plain", secret: newKey() })],
      options([rule]),
    );
    expect(result[0]?.verification).toMatchObject({
      status: "unsupported",
      detail: "no verifier for this rule",
    });
  });

  it("reports progress once per unique check", async () => {
    const server = await standIn({ routes: { "GET /v1/models": { status: 401 } } });
    const seen: string[] = [];
    const findings = [newKey(), newKey()].flatMap((secret) => [
      buildFinding({ ruleId: "acme", secret }),
      buildFinding({ ruleId: "acme", secret }),
    ]);
    await verifyFindings(
      findings,
      options([modelsRule("acme", server.url)], {
        onProgress: (done, total) => seen.push(`${done}/${total}`),
      }),
    );
    expect(seen).toEqual(["1/2", "2/2"]);
  });
});
