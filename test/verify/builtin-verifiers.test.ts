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
