import { UsageError } from "../errors.js";

/**
 * The Action's inputs, read from the INPUT_* variables the runner sets: each input's name upper
 * cased with spaces as `_` (hyphens stay: `INPUT_FAIL-ON`). The runner fills in action.yml's
 * defaults; the same defaults apply here so the entry also runs with no inputs at all.
 */

export const FAIL_ON_CHOICES = ["any", "live", "none"] as const;
export const SCAN_CHOICES = ["auto", "range", "full"] as const;

export interface ActionInputs {
  readonly githubToken: string;
  /** Config file, repository-relative; on pull requests read from the base commit. */
  readonly config?: string;
  readonly failOn: (typeof FAIL_ON_CHOICES)[number];
  readonly verify: boolean;
  readonly revoke: boolean;
  readonly revokeConfirm: boolean;
  readonly comment: boolean;
  /** Where to write SARIF; undefined when the input is empty (no SARIF file). */
  readonly sarifFile?: string;
  readonly scan: (typeof SCAN_CHOICES)[number];
  readonly redact: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

function raw(env: Env, name: string): string | undefined {
  const value = env[inputVariable(name)]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** Booleans as YAML 1.2 spells them, which is what the Actions toolkit accepts. */
function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new UsageError(`input ${name}: "${value}" is not a boolean (use true or false)`);
}

function choiceInput<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  const choice = choices.find((candidate) => candidate === lower);
  if (!choice) {
    throw new UsageError(`input ${name}: "${value}" is not one of ${choices.join(", ")}`);
  }
  return choice;
}

export function readActionInputs(env: Env): ActionInputs {
  const config = raw(env, "config");
  // An explicitly empty sarif-file turns the SARIF file off; unset means the default.
  const sarifVariable = env[inputVariable("sarif-file")];
  const sarifFile = sarifVariable === undefined ? "keywarden.sarif" : sarifVariable.trim();
  const inputs: ActionInputs = {
    githubToken: raw(env, "github-token") ?? env.GITHUB_TOKEN ?? "",
    ...(config !== undefined ? { config } : {}),
    failOn: choiceInput(env, "fail-on", FAIL_ON_CHOICES, "any"),
    verify: booleanInput(env, "verify", false),
    revoke: booleanInput(env, "revoke", false),
    revokeConfirm: booleanInput(env, "revoke-confirm", false),
    comment: booleanInput(env, "comment", true),
    ...(sarifFile !== "" ? { sarifFile } : {}),
    scan: choiceInput(env, "scan", SCAN_CHOICES, "auto"),
    redact: booleanInput(env, "redact", true),
  };
  if (inputs.failOn === "live" && !inputs.verify && !inputs.revoke) {
    throw new UsageError(
      "input fail-on: live needs verify: true (only verified keys are known live)",
    );
  }
  if (inputs.revokeConfirm && !inputs.revoke) {
    throw new UsageError("input revoke-confirm: true needs revoke: true");
  }
  return inputs;
}
