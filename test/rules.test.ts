import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkRules } from "../src/config/check-rules.js";
import { compileRules } from "../src/config/compile-rules.js";
import { expandExample } from "../src/config/example-template.js";
import { ruleScope } from "../src/config/pattern-scope.js";
import { readBuiltinRuleSources } from "../src/config/read-rule-files.js";
import { createDetector } from "../src/engine/detector.js";
import { ruleTakesSecret } from "../src/engine/secret-checks.js";
import { REPO_ROOT } from "./helpers/run-cli.js";

// With each pattern's scope as the build stores it, so rules run here as they do when shipped
// (a pattern opening with a word look-behind also starts after an escape or a shell default).
const sources = readBuiltinRuleSources().map((source) => ({
  ...source,
  scope: ruleScope(source.raw),
}));
const rules = compileRules(sources);
const detector = createDetector(rules);

/** Surroundings a key turns up in: the example line sits among ordinary lines of a file. */
const SURROUNDINGS: readonly { path: string; before: string; after: string }[] = [
  { path: "config/app.env", before: "# settings\nDEBUG=true\n", after: "\nPORT=8080\n" },
  {
    path: "src/client.ts",
    before: "import { x } from './x';\n\nexport const config = {\n",
    after: "\n};\n",
  },
  {
    path: "deploy/values.yaml",
    before: "replicas: 2\nimage: app:1.2.3\n",
    after: "\nresources: {}\n",
  },
  { path: "notes/README.md", before: "## Setup\n\n```sh\n", after: "\n```\n" },
];

describe("built-in rules", () => {
  it("pass the checks a rule of one's own passes, so a copy of a rule file loads as a config", () => {
    // Built-in rules skip the repeat-of-a-repeat check at run time; a copied rule would not.
    const asOwn = sources.map((source) => ({
      ...source,
      source: { ...source.source, builtin: false },
    }));
    expect(() => compileRules(asOwn)).not.toThrow();
  });

  it("hold the generic-secret pattern that scripts/generic-pattern.mjs builds from its word lists", () => {
    const result = spawnSync(process.execPath, ["scripts/generic-pattern.mjs", "--check"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(result.stderr + result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("hold the patterns that scripts/name-gated-pattern.mjs builds for keys without a prefix", () => {
    const result = spawnSync(process.execPath, ["scripts/name-gated-pattern.mjs", "--check"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(result.stderr + result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("have unique ids and at least one example each way", () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.raw.examples.match.length, rule.id).toBeGreaterThan(0);
      expect(rule.raw.examples.nomatch.length, rule.id).toBeGreaterThan(0);
    }
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))("%s passes its examples", (_id, rule) => {
    const result = checkRules([rule], { companions: rules });
    expect(result.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([]);
  });

  it.each(rules.filter((rule) => rule.report).map((rule) => [rule.id, rule] as const))(
    "%s still reports its examples inside whole files, with every other rule loaded",
    (_id, rule) => {
      rule.raw.examples.match.forEach((example, index) => {
        const template = typeof example === "string" ? example : example.text;
        const path = typeof example === "string" ? undefined : example.path;
        for (const surrounding of SURROUNDINGS) {
          const { text } = expandExample(template, (secret) => ruleTakesSecret(rule, secret));
          const findings = detector.detect({
            text: `${surrounding.before}${text}${surrounding.after}`,
            path: path ?? surrounding.path,
            startLine: 1,
          });
          const lineOfExample = surrounding.before.split("\n").length;
          expect(
            findings.some((f) => f.ruleId === rule.id && f.line >= lineOfExample),
            `match[${index}] in ${surrounding.path}: ${text}`,
          ).toBe(true);
        }
      });
    },
  );
});
