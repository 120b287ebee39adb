import type { CompiledRule } from "../config/compile-rules.js";
import { loadBuiltinRules } from "../config/load-rules.js";
import type { Finding } from "../types.js";
import { checkEndpointNames, parseEndpointOverrides } from "./endpoint-overrides.js";
import { createHttpClient } from "./http-client.js";
import { createProgressLine, type ProgressOutput } from "./progress-line.js";
import { verifyFindings } from "./verify-findings.js";

/**
 * The verification stage as the CLI runs it: overrides from the runner's flags and environment,
 * the shipped rules as the trusted source of verify blocks, a progress line on a terminal.
 * Loaded by dynamic import only when verification is asked for.
 */

export interface VerifyStageSettings {
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly ratePerHost: number;
  readonly endpoints: readonly string[];
  readonly trustConfig: boolean;
}

export interface VerifyStageInput {
  readonly findings: readonly Finding[];
  /** The rules of the run, as loaded with the user's config. */
  readonly rules: readonly CompiledRule[];
  readonly settings: VerifyStageSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr: ProgressOutput;
  readonly showProgress: boolean;
  readonly userAgent: string;
}

/** Every service a rule verifies with: the names an `--endpoint` may give for verification. */
export function verifiedServices(rules: readonly CompiledRule[]): Set<string> {
  const services = new Set<string>();
  for (const rule of rules) if (rule.raw.verify) services.add(rule.raw.verify.service);
  return services;
}

export async function runVerifyStage(input: VerifyStageInput): Promise<Finding[]> {
  const { settings } = input;
  const endpoints = parseEndpointOverrides(settings.endpoints, input.env);
  const builtinRules = await loadBuiltinRules();
  checkEndpointNames(
    settings.endpoints,
    input.env,
    verifiedServices([...builtinRules, ...input.rules]),
    "no rule verifies with a service of that name",
  );
  const progress = createProgressLine(input.stderr, input.showProgress);
  try {
    return await verifyFindings(input.findings, {
      rules: input.rules,
      builtinRules,
      endpoints,
      trustConfig: settings.trustConfig,
      http: createHttpClient({ userAgent: input.userAgent, env: input.env }),
      concurrency: settings.concurrency,
      timeoutMs: settings.timeoutMs,
      ratePerHost: settings.ratePerHost,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.finish();
  }
}
