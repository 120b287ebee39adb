import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRules } from "../../src/config/compile-rules.js";
import { expandExample } from "../../src/config/example-template.js";
import { readBuiltinRuleSources } from "../../src/config/read-rule-files.js";
import { createDetector } from "../../src/engine/detector.js";
import type { Finding } from "../../src/types.js";
import { createHttpClient } from "../../src/verify/http-client.js";
import { verifyFindings } from "../../src/verify/verify-findings.js";
import { type StandInServer, startStandInServer } from "../helpers/stand-in-server.js";

// Every built-in verify block, fed the rule's own examples through the real detector: it must
// build a request (templates fill, groups exist), send it only to the service's base, and read a
// provider's 200 as live and 401 as invalid.

const rules = compileRules(readBuiltinRuleSources());
const verified = rules.filter((rule) => rule.raw.verify);
const detector = createDetector(rules);

/** Findings of each verifiable rule's match examples, as a scan would report them. */
function exampleFindings(): Finding[] {
  const findings: Finding[] = [];
  for (const rule of verified) {
    rule.raw.examples.match.forEach((example, index) => {
      const template = typeof example === "string" ? example : example.text;
      const path =
        (typeof example === "string" ? undefined : example.path) ?? `example-${index}.txt`;
      const { text } = expandExample(template);
      findings.push(
        ...detector
          .detect({ text, path: `${rule.id}/${path}`, startLine: 1 })
          .filter((f) => f.ruleId === rule.id),
      );
    });
  }
  return findings;
}

type Mode = "live" | "invalid";

function reply(mode: Mode) {
  return (request: { method: string; path: string }) => {
    if (request.method === "POST" && request.path === "/aws/") {
      // STS GetCallerIdentity.
      return mode === "live"
        ? {
            body: "<GetCallerIdentityResponse><Arn>arn:aws:iam::000000000000:user/ci</Arn></GetCallerIdentityResponse>",
          }
        : {
            status: 403,
            body: "<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>",
          };
    }
    if (request.path.endsWith("/auth.test")) {
      return { body: mode === "live" ? { ok: true } : { ok: false, error: "invalid_auth" } };
    }
    return mode === "live"
      ? { status: 200, body: { ok: true, valid: true, data: [] } }
      : { status: 401, body: {} };
  };
}

let server: StandInServer;
let mode: Mode = "live";
beforeAll(async () => {
  server = await startStandInServer({ routes: { "/*": (request) => reply(mode)(request) } });
});
afterAll(() => server.close());

async function verifyAll(): Promise<Finding[]> {
  const services = new Set(verified.map((rule) => rule.raw.verify!.service));
  return verifyFindings(exampleFindings(), {
    rules,
    builtinRules: rules,
    endpoints: new Map(
      [...services].map((service) => [service, new URL(`${server.url}/${service}`)]),
    ),
    trustConfig: false,
    http: createHttpClient({ userAgent: "keywarden-test" }),
    concurrency: 8,
    timeoutMs: 5000,
    ratePerHost: 10_000,
  });
}

/** Keys their examples cannot check alone: one half of a pair, or temporary AWS keys. */
function needsPartner(finding: Finding): boolean {
  return (
    finding.verification?.status === "unsupported" &&
    /needs both|session token/.test(finding.verification.detail)
  );
}

describe("built-in verify blocks", () => {
  it("has verify blocks to check", () => {
    expect(verified.length).toBeGreaterThan(20);
  });

  it.each<Mode>(["live", "invalid"])(
    "read a provider's %s answer as such, for every rule",
    async (wanted) => {
      mode = wanted;
      server.clearLog();
      const findings = await verifyAll();
      const byRule = new Map<string, string[]>();
      for (const finding of findings) {
        if (needsPartner(finding)) continue;
        byRule.set(finding.ruleId, [
          ...(byRule.get(finding.ruleId) ?? []),
          finding.verification!.status,
        ]);
      }
      const wrong = [...byRule].filter(([, statuses]) =>
        statuses.some((status) => status !== wanted),
      );
      expect(wrong).toEqual([]);
      // Every rule got at least one real check from its examples (paired ones count via a partner).
      const checked = new Set(byRule.keys());
      const unchecked = verified.map((rule) => rule.id).filter((id) => !checked.has(id));
      expect(
        unchecked.every((id) => findings.some((f) => f.ruleId === id && needsPartner(f))),
      ).toBe(true);
      // Each request went under its own service's prefix on the stand-in, nowhere else.
      const services = new Set(verified.map((rule) => rule.raw.verify!.service));
      for (const request of server.requests) {
        const service = request.path.split("/")[1] ?? "";
        expect(services.has(service), request.path).toBe(true);
      }
    },
  );
});

describe("the Google API key check", () => {
  const googleRules = rules.filter((rule) => rule.id === "google-api-key");
  const key = expandExample("AIza{{b64url:35}}").text;

  async function statusFor(answer: { status: number; body: unknown }): Promise<string> {
    const google = await startStandInServer({ routes: { "/*": () => answer } });
    try {
      const [finding] = detector
        .detect({ text: `GEMINI_API_KEY=${key}\n`, path: ".env", startLine: 1 })
        .filter((f) => f.ruleId === "google-api-key");
      const [checked] = await verifyFindings([finding!], {
        rules: googleRules,
        builtinRules: rules,
        endpoints: new Map([["google", new URL(google.url)]]),
        trustConfig: false,
        http: createHttpClient({ userAgent: "keywarden-test" }),
        concurrency: 1,
        timeoutMs: 5000,
        ratePerHost: 10_000,
      });
      return checked!.verification!.status;
    } finally {
      await google.close();
    }
  }

  it("reads 400 API_KEY_INVALID as invalid, and another 400 (a region Gemini does not serve) as unknown", async () => {
    const invalid = {
      status: 400,
      body: {
        error: {
          code: 400,
          message: "API key not valid. Please pass a valid API key.",
          status: "INVALID_ARGUMENT",
          details: [{ reason: "API_KEY_INVALID", domain: "googleapis.com" }],
        },
      },
    };
    expect(await statusFor(invalid)).toBe("invalid");
    const elsewhere = {
      status: 400,
      body: {
        error: {
          code: 400,
          message: "User location is not supported for the API use.",
          status: "FAILED_PRECONDITION",
        },
      },
    };
    expect(await statusFor(elsewhere)).toBe("unknown");
  });
});
