import type { CompiledRule } from "../config/compile-rules.js";
import { userAgent } from "../tool-info.js";
import type { Finding } from "../types.js";
import type { CommandContext } from "./io.js";
import type { VerifyCliOptions } from "./verify-options.js";

/**
 * Runs the verification stage when it is on, loading it only then: a scan without --verify
 * imports no HTTP client, no signer, no verifier.
 */
export async function verifyIfAsked<T extends Finding>(
  context: CommandContext,
  rules: readonly CompiledRule[],
  options: VerifyCliOptions,
  quiet: boolean,
  findings: readonly T[],
): Promise<Finding[]> {
  // Runs even with no findings, so a bad --endpoint is reported rather than ignored.
  if (!options.enabled) return [...findings];
  const { runVerifyStage } = await import("../verify/run-verify-stage.js");
  return runVerifyStage({
    findings,
    rules,
    settings: options,
    env: context.io.env,
    stderr: context.io.stderr,
    showProgress: !quiet,
    userAgent: userAgent(),
  });
}

/**
 * What verification will read from the environment, checked before a scan starts when it is
 * on: a proxy variable that is no address fails at once, naming it, not after a history scan.
 */
export async function checkVerifyEnvironment(
  context: CommandContext,
  options: VerifyCliOptions,
): Promise<void> {
  if (!options.enabled) return;
  const { readProxySettings } = await import("../verify/proxy-settings.js");
  readProxySettings(context.io.env);
}
