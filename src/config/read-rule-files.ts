import { readdirSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { readRegularText } from "../read-regular-file.js";
import type { RuleSource } from "./compile-rules.js";
import type { FieldPath } from "./field-text.js";
import { builtinRulesDir, packageRoot } from "./load-rules.js";
import { parseYamlWithSchema } from "./parse-yaml.js";
import { ruleFileSchema } from "./rule-schema.js";

/** Reads and validates one rule file; each rule's origin names the line its entry starts on. */
export function readRuleFile(path: string, builtin: boolean, displayRoot: string): RuleSource[] {
  let text: string;
  try {
    text = readRegularText(path);
  } catch (error) {
    throw new ConfigError(
      `${path}: cannot read rule file (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const display = relative(displayRoot, resolve(path)) || basename(path);
  const parsed = parseYamlWithSchema(text, display, ruleFileSchema);
  return parsed.value.rules.map((raw, index) => {
    const line = parsed.lineOf(["rules", index]);
    const fieldLine = (field: FieldPath) => parsed.lineOf(["rules", index, ...field]);
    return { raw, source: { file: display, builtin, ...(line ? { line } : {}), fieldLine } };
  });
}

export function ruleFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort()
    .map((name) => join(dir, name));
}

/** Reads every built-in rule file from rules/ (used by the build and by `rules test`). */
export function readBuiltinRuleSources(): RuleSource[] {
  const root = packageRoot();
  return ruleFilesIn(builtinRulesDir()).flatMap((file) => readRuleFile(file, true, root));
}
