import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBuiltinRuleSources } from "../../src/config/read-rule-files.js";
import {
  DETAIL_FIELDS,
  type RuleDetails,
  splitRuleDetails,
  withLazyDetails,
} from "../../src/config/rule-details.js";
import type { RawRule } from "../../src/config/rule-schema.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

describe("built-in rules' details", () => {
  const sources = readBuiltinRuleSources();

  it("come back, read only when a detail is asked for, equal to the rules as written", () => {
    const { lean, details } = splitRuleDetails(sources);
    let loads = 0;
    const load = () => {
      loads++;
      return details;
    };
    const restored = lean.map(({ raw }) => withLazyDetails(raw, load));
    // What a scan reads leaves the details unread.
    for (const raw of restored) void [raw.id, raw.pattern, raw.keywords, raw.remediation];
    expect(loads).toBe(0);
    const verified = restored.find((raw) => raw.verify !== undefined);
    expect(verified?.verify?.service).toBeTruthy();
    expect(loads).toBeGreaterThan(0);
    // A copy or the JSON of a rule holds every field it was written with.
    expect(JSON.parse(JSON.stringify(restored))).toEqual(
      JSON.parse(JSON.stringify(sources.map(({ raw }) => raw))),
    );
    expect(restored.map((raw) => ({ ...raw }))).toEqual(
      JSON.parse(JSON.stringify(sources.map(({ raw }) => raw))),
    );
  });

  it("are apart in the build: the rules the hook parses hold none, the detail file every rule's", () => {
    const lean = JSON.parse(readFileSync(join(REPO_ROOT, "dist/rules.json"), "utf8")) as {
      raw: RawRule;
    }[];
    const details = JSON.parse(
      readFileSync(join(REPO_ROOT, "dist/rules-detail.json"), "utf8"),
    ) as Record<string, RuleDetails>;
    expect(lean.map(({ raw }) => raw.id)).toEqual(sources.map(({ raw }) => raw.id));
    for (const { raw } of lean) {
      for (const field of DETAIL_FIELDS)
        expect(raw, `${raw.id} ${field}`).not.toHaveProperty(field);
    }
    for (const { raw } of sources) {
      for (const field of DETAIL_FIELDS)
        expect(details[raw.id]?.[field], raw.id).toEqual(raw[field]);
    }
  });
});
