import { describe, expect, it } from "vitest";
import { readBuiltinRuleSources } from "../../src/config/read-rule-files.js";
import { findRevoker } from "../../src/revoke/revoker-registry.js";

// The rule files name revokers by string; this keeps those names and their promises honest.
const automatic = readBuiltinRuleSources().filter(
  ({ raw }) => raw.revoke && raw.revoke.mechanism !== "manual",
);

describe("built-in rules' revoke blocks", () => {
  it("name revokers for the keys keywarden can revoke by API", () => {
    expect(automatic.length).toBeGreaterThan(10);
  });

  it.each(automatic.map(({ raw, source }) => [raw.id, raw.revoke!, source.file] as const))(
    "%s names a known revoker of its mechanism, with a fallback dashboard",
    (_id, revoke) => {
      const revoker = findRevoker(revoke.revoker ?? "");
      expect(revoker, `unknown revoker "${revoke.revoker}"`).toBeDefined();
      expect(revoke.mechanism).toBe(revoker!.mechanism);
      if (revoke.credentialEnv) expect(revoker!.credentialEnv).toContain(revoke.credentialEnv);
      // Self-hosted services have no public dashboard; every other one names where to go by hand.
      if (Object.keys(revoker!.bases).length > 0) expect(revoke.dashboard).toMatch(/^https:\/\//);
    },
  );
});
