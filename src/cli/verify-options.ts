import type { Argv } from "yargs";
import { UsageError } from "../errors.js";
import { isLive } from "../finding-status.js";
import type { Verification } from "../types.js";
import { type OptionSpec, withOptions } from "./option-spec.js";

/**
 * Options of the verification stage, shared by the scanning commands (`--verify` turns it on)
 * and `keywarden verify` (always on). Only flags and their checks live here: the stage itself
 * loads by dynamic import when it runs, so the pre-commit path never pays for it.
 */

export const FAIL_ON = ["any", "live", "none"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface VerifyCliOptions {
  readonly enabled: boolean;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Request starts per second per provider host. */
  readonly ratePerHost: number;
  /** Raw `--endpoint NAME=URL` values; checked by the stage (with the environment's). */
  readonly endpoints: readonly string[];
  readonly trustConfig: boolean;
  readonly onlyLive: boolean;
  readonly failOn: FailOn;
}

/** The verification options, `--verify` first: `keywarden verify` has all but that switch. */
export const VERIFY_OPTIONS: readonly OptionSpec[] = [
  {
    name: "verify",
    type: "boolean",
    default: false,
    describe: "Check whether each key found is live, with one read-only call to its provider",
  },
  // Number flags are read as given (see positiveNumber), so an error can quote what was typed:
  // yargs would turn "8x" into NaN and "1e400" into Infinity.
  {
    name: "verify-concurrency",
    type: "string",
    default: 8,
    describe: "Provider calls in flight at once",
  },
  {
    name: "verify-timeout",
    type: "string",
    default: "10s",
    describe: "Time limit per provider call (e.g. 10s, 2500ms; a bare number is seconds)",
  },
  {
    name: "verify-rate",
    type: "string",
    default: 10,
    describe: "Provider calls started per second per host",
  },
  {
    name: "endpoint",
    type: "string",
    array: true,
    describe:
      "Base URL of a provider service, NAME=URL (repeatable; also KEYWARDEN_ENDPOINT_<NAME>)",
  },
  {
    name: "trust-config",
    type: "boolean",
    default: false,
    describe: "Also verify with rules from config and rule files, which may name their own hosts",
  },
  {
    name: "only-live",
    type: "boolean",
    default: false,
    describe: "Report only keys verified live or live-restricted",
  },
  {
    name: "fail-on",
    type: "string",
    choices: FAIL_ON,
    default: "any",
    describe: "What makes exit code 1: any finding, live keys only, or nothing",
  },
];

export function withVerifyOptions<T>(yargs: Argv<T>, withSwitch: boolean): Argv<T> {
  return withOptions(
    yargs,
    withSwitch ? VERIFY_OPTIONS : VERIFY_OPTIONS.filter((spec) => spec.name !== "verify"),
  );
}

/** A plain decimal number as a person types one: 8, 2.5, .5, 1e3. */
const DECIMAL = /^\s*(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*$/i;

function positiveNumber(value: unknown, flag: string, integer: boolean): number {
  const text = String(value);
  const number = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (number === Number.POSITIVE_INFINITY) throw new UsageError(`${flag}: "${text}" is too large`);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(
      `${flag}: "${text}" is not a positive ${integer ? "whole number" : "number"}`,
    );
  }
  return number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** --verify-rate: calls per second to one host; slower than one a day would overflow its timer. */
function rateOption(value: unknown): number {
  const rate = positiveNumber(value, "--verify-rate", false);
  if (1000 / rate > DAY_MS)
    throw new UsageError(`--verify-rate: "${String(value)}" is too slow (one call a day at least)`);
  return rate;
}

/**
 * `10s`, `2500ms`, `1.5s` or a bare number of seconds, in milliseconds. Under a millisecond is
 * too short, except an exact zero where `allowZero` says that means "do not wait".
 */
export function parseDuration(
  value: string,
  flag: string,
  { allowZero = false }: { readonly allowZero?: boolean } = {},
): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(value.trim());
  if (!match)
    throw new UsageError(`${flag}: "${value}" is not a duration (use e.g. 10s or 2500ms)`);
  const ms = match[2] === "ms" ? Number(match[1]) : Number(match[1]) * 1000;
  if (ms < 1 && !(allowZero && ms === 0)) throw new UsageError(`${flag}: "${value}" is too short`);
  // Timers hold 24.8 days at most; past that Node fires them at once.
  if (ms > DAY_MS) throw new UsageError(`${flag}: "${value}" is too long (a day at most)`);
  return Math.round(ms);
}

export function readVerifyOptions(
  argv: Record<string, unknown>,
  alwaysOn: boolean,
): VerifyCliOptions {
  const enabled = alwaysOn || argv.verify === true;
  const onlyLive = argv["only-live"] === true;
  const failOn = (argv["fail-on"] as FailOn | undefined) ?? "any";
  if (!enabled && onlyLive) throw new UsageError("--only-live needs --verify");
  if (!enabled && failOn === "live") throw new UsageError("--fail-on live needs --verify");
  return {
    enabled,
    concurrency: positiveNumber(argv["verify-concurrency"] ?? 8, "--verify-concurrency", true),
    timeoutMs: parseDuration(String(argv["verify-timeout"] ?? "10s"), "--verify-timeout"),
    ratePerHost: rateOption(argv["verify-rate"] ?? 10),
    endpoints: (argv.endpoint as string[] | undefined) ?? [],
    trustConfig: argv["trust-config"] === true,
    onlyLive,
    failOn,
  };
}

type Verified = { readonly verification?: Verification | undefined };

/** The findings to report: all, or with --only-live those verified live. */
export function reportedFindings<T extends Verified>(
  findings: readonly T[],
  options: VerifyCliOptions,
): T[] {
  return options.onlyLive ? findings.filter(isLive) : [...findings];
}

/** Exit code for the reported findings under --fail-on. */
export function failOnExitCode(findings: readonly Verified[], options: VerifyCliOptions): 0 | 1 {
  switch (options.failOn) {
    case "none":
      return 0;
    case "live":
      return findings.some(isLive) ? 1 : 0;
    case "any":
      return findings.length > 0 ? 1 : 0;
  }
}

/** Verification off, every finding reported and failing: for callers that build ScanOptions. */
export const VERIFY_OFF: VerifyCliOptions = {
  enabled: false,
  concurrency: 8,
  timeoutMs: 10_000,
  ratePerHost: 10,
  endpoints: [],
  trustConfig: false,
  onlyLive: false,
  failOn: "any",
};
