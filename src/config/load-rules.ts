import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";
import { type CompiledRule, compileRules } from "./compile-rules.js";
import { usePrebuiltGlobs } from "./config-globs.js";
import { restoreScope, type StoredScope } from "./pattern-scope-store.js";
import type { RuleDetails } from "./rule-details.js";
import type { RawRule } from "./rule-schema.js";

/**
 * The package root: dist/ holds the bundle, rules/ the YAML sources. Found by walking up from
 * this module, which works both bundled (dist/cli/) and from source (src/config/).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "rules"))) return dir;
    dir = dirname(dir);
  }
  throw new ConfigError(
    "cannot find keywarden's own rules/ folder: the installation is incomplete",
  );
}

export function builtinRulesDir(): string {
  return join(packageRoot(), "rules");
}

let builtinRules: Promise<readonly CompiledRule[]> | undefined;

/**
 * Built-in rules, compiled. The build precompiles rules/*.yaml into dist/rules.json (validated
 * raw rules, their details apart: see rule-details.ts) so start-up parses JSON, not YAML, and
 * loads no schema library; from a source checkout without a build, the YAML is read directly.
 * Compiled once per process: the scan, verify and revoke stages of one run all ask for them.
 */
export function loadBuiltinRules(): Promise<readonly CompiledRule[]> {
  builtinRules ??= compileBuiltinRules();
  return builtinRules;
}

async function compileBuiltinRules(): Promise<readonly CompiledRule[]> {
  const root = packageRoot();
  const bundled = join(root, "dist", "rules.json");
  if (existsSync(bundled)) {
    const sources = JSON.parse(readFileSync(bundled, "utf8")) as {
      raw: RawRule;
      file: string;
      scope?: StoredScope;
      globs?: Record<string, string>;
    }[];
    for (const { globs } of sources) if (globs) usePrebuiltGlobs(globs);
    let details: Record<string, RuleDetails> | undefined;
    const loadDetails = () => {
      details ??= JSON.parse(
        readFileSync(join(root, "dist", "rules-detail.json"), "utf8"),
      ) as Record<string, RuleDetails>;
      return details;
    };
    return compileRules(
      sources.map(({ raw, file, scope }) => ({
        raw,
        source: { file, builtin: true },
        scope: restoreScope(scope),
        details: () => loadDetails()[raw.id],
      })),
      new Set(),
      { prevalidated: true },
    );
  }
  const { readBuiltinRuleSources } = await import("./read-rule-files.js");
  const { ruleScope } = await import("./pattern-scope.js");
  return compileRules(readBuiltinRuleSources(), new Set(), { scopeOf: ruleScope });
}
