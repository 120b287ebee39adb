import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { revokerNames } from "../../src/revoke/revoker-registry.js";
import { standIn } from "../helpers/stand-in.js";
import { PROVIDER_CASES } from "./provider-cases.js";
import { findingFor, readAudit, revokeInProcess, tempDir } from "./revoke-fixtures.js";

describe.each(PROVIDER_CASES)("revoker $name against its stand-in provider", (testCase) => {
  async function setUp() {
    const keys = testCase.keys();
    const alive = new Set([keys.secret]);
    const server = await standIn({ routes: testCase.routes(keys, alive) });
    const env = testCase.env?.(keys) ?? {};
    const finding = findingFor(
      testCase.rule,
      keys.secret,
      keys.companion
        ? {
            // Found by a rule of the run, as the engine attaches companions.
            companion: { ruleId: testCase.rule.id, secret: keys.companion, line: 4 },
          }
        : {},
    );
    const auditPath = join(tempDir(), "revocations.jsonl");
    const run = (mode: "dry-run" | "execute") =>
      revokeInProcess({
        findings: [finding],
        rules: [testCase.rule],
        endpoints: Object.fromEntries(testCase.services.map((service) => [service, server.url])),
        auditPath,
        mode,
        env,
      });
    const destructive = () => server.requests.filter(testCase.isDestructive);
    return { keys, alive, server, env, run, destructive, auditPath };
  }

  it("dry run: verifies, plans, and makes no destructive call", async () => {
    const { run, destructive, alive, keys } = await setUp();
    const result = await run("dry-run");
    expect(destructive()).toHaveLength(0);
    expect(alive.has(keys.secret)).toBe(true);
    expect(result.findings[0]?.verification?.status).toBe("live");
    expect(result.findings[0]?.revocation?.status).toBe("planned");
  });

  it("--yes: exactly one revoke call, shaped as the provider documents, then verified dead", async () => {
    const { run, destructive, keys, env, auditPath } = await setUp();
    const result = await run("execute");
    expect(destructive()).toHaveLength(1);
    testCase.expectCall(destructive()[0]!, keys, env);
    const finding = result.findings[0]!;
    expect(finding.revocation).toMatchObject({ status: "revoked" });
    expect(finding.verification?.status).toBe("invalid");

    // A second run sends no second destructive call.
    const again = await run("execute");
    expect(destructive()).toHaveLength(1);
    expect(again.findings[0]?.revocation?.status).toBe("revoked");
    expect(again.findings[0]?.revocation?.detail).toContain("already revoked");

    const log = readAudit(auditPath);
    const text = JSON.stringify(log);
    expect(text).not.toContain(keys.secret);
    if (keys.companion) expect(text).not.toContain(keys.companion);
    const steps = log.filter((entry) => entry.run === log[0]?.run).map((entry) => entry.step);
    expect(steps[0]).toBe("verify-before");
    expect(steps[1]).toBe("plan");
    expect(steps).toContain("request");
    expect(steps).toContain("response");
    expect(steps.slice(-2)).toEqual(["verify-after", "outcome"]);
    const outcome = log.find((entry) => entry.step === "outcome");
    expect(outcome).toMatchObject({
      outcome: "revoked",
      mode: "executed",
      rule: testCase.rule.id,
      fingerprint: finding.fingerprint,
    });
  });
});

describe("revoker registry", () => {
  it("has a stand-in test for every revoker", () => {
    expect(PROVIDER_CASES.map((c) => c.name).sort()).toEqual([...revokerNames()].sort());
  });
});
