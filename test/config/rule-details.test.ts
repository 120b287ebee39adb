import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/config/compile-rules.js";
import { readBuiltinRuleSources } from "../../src/config/read-rule-files.js";
import {
  DETAIL_FIELDS,
  type RuleDetails,
  splitRuleDetails,
} from "../../src/config/rule-details.js";
import type { RawRule } from "../../src/config/rule-schema.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

describe("built-in rules' details", () => {
  const sources = readBuiltinRuleSources();

  it("come back, read only when a compiled rule's raw fields are asked for, as the rules were written", () => {
    const { lean, details } = splitRuleDetails(sources);
    let loads = 0;
    const rules = compileRules(
      lean.map(({ raw, source }) => ({
        raw,
        source,
        details: () => {
          loads++;
          return details[raw.id];
        },
      })),
    );
    // What a scan reads leaves the details unread.
    for (const rule of rules)
      void [rule.id, rule.regex, rule.keywords, rule.remediation, rule.allow];
    expect(loads).toBe(0);
    const verified = rules.find((rule) => rule.raw.verify !== undefined);
    expect(verified?.raw.verify?.service).toBeTruthy();
    expect(loads).toBeGreaterThan(0);
    // Read once per rule, then kept: a copy or the JSON of it holds every field it was written with.
    const before = loads;
    void verified?.raw.examples;
    expect(loads).toBe(before);
    expect(JSON.parse(JSON.stringify(rules.map((rule) => rule.raw)))).toEqual(
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
