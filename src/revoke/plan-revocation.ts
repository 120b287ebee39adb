import type { RevokeConfig } from "../config/rule-schema.js";
import type { Revocation, Verification, VerificationStatus } from "../types.js";
import type { KeyHistory } from "./audit-log.js";
import type { Env, Revoker, RevokeTarget } from "./revoker.js";
import { findRevoker } from "./revoker-registry.js";

/**
 * Decides, for one leaked key, what revocation will do: act through a revoker, or settle on a
 * final status right away (manual instructions, skipped with a reason, already revoked). Pure:
 * the runner supplies the verification, the audit history and what the environment holds.
 */

/** Statuses that prove (or strongly suggest) a key works: only these are revoked without --force. */
export const REVOCABLE_STATUSES: ReadonlySet<VerificationStatus> = new Set([
  "live",
  "live-restricted",
  "rate-limited",
]);

export type RevocationPlan =
  | {
      readonly kind: "act";
      readonly revoker: Revoker;
      /** What the plan says it will do (also the `planned` detail of a dry run). */
      readonly detail: string;
      /** Dashboard to fall back on if the call fails. */
      readonly url?: string;
    }
  | { readonly kind: "settled"; readonly revocation: Revocation };

export interface PlanInput {
  readonly target: RevokeTarget;
  /** The revoke block that applies (see selectRevokeConfig), or why none does. */
  readonly config: RevokeConfigChoice;
  readonly verification: Verification | undefined;
  readonly history: KeyHistory;
  readonly env: Env;
  readonly baseOf: (revoker: Revoker, service: string) => URL | undefined;
  readonly force: boolean;
}

export type RevokeConfigChoice =
  | { readonly config: RevokeConfig | undefined }
  | { readonly untrusted: string };

export interface RevokableRule {
  readonly id: string;
  readonly revoke?: RevokeConfig | undefined;
  readonly source: { readonly file: string; readonly builtin: boolean };
}

/**
 * The revoke block for a rule. A rule id keywarden ships always uses the shipped block, even
 * when a config redefines the rule; a rule that exists only in a config may name a revoker only
 * with --trust-config (its dashboard text is still shown, it is only text).
 */
export function selectRevokeConfig(
  rule: RevokableRule,
  builtin: RevokableRule | undefined,
  trustConfig: boolean,
): RevokeConfigChoice {
  if (builtin) return { config: builtin.revoke };
  if (rule.revoke?.revoker && rule.revoke.mechanism !== "manual" && !trustConfig) {
    return {
      untrusted: `rule ${rule.id} comes from ${rule.source.file}; revoking through its revoker "${rule.revoke.revoker}" needs --trust-config`,
    };
  }
  return { config: rule.revoke };
}

function manual(
  config: RevokeConfig | undefined,
  remediation: string,
  reason?: string,
): Revocation {
  const steps = config?.steps ?? remediation;
  const detail = reason ? `${steps} (${reason})` : steps;
  return {
    status: "manual",
    mechanism: "manual",
    detail,
    ...(config?.dashboard ? { url: config.dashboard } : {}),
  };
}

function mechanismOf(config: RevokeConfig | undefined): Revocation["mechanism"] {
  return config?.mechanism ?? "manual";
}

export function planRevocation(input: PlanInput): RevocationPlan {
  const { target, verification, history } = input;
  const config = "config" in input.config ? input.config.config : undefined;
  const mechanism = mechanismOf(config);
  const status = verification?.status;
  const settled = (revocation: Revocation): RevocationPlan => ({ kind: "settled", revocation });

  if (history.revokedAt && !input.force) {
    if (
      status === "invalid" ||
      status === undefined ||
      status === "unknown" ||
      status === "unsupported"
    ) {
      return settled({
        status: "revoked",
        mechanism,
        detail: `already revoked at ${history.revokedAt} (audit log); no new call made`,
      });
    }
    return settled({
      status: "skipped",
      mechanism,
      detail: `the audit log records it revoked at ${history.revokedAt}, yet it verifies ${status} now; pass --force to revoke it again`,
    });
  }
  if (status === "invalid") {
    if (history.destructiveSentAt) {
      return settled({
        status: "revoked",
        mechanism,
        detail: `revoked by the run at ${history.destructiveSentAt}; the provider now rejects it`,
        ...(verification?.httpStatus !== undefined ? { httpStatus: verification.httpStatus } : {}),
      });
    }
    return settled({
      status: "skipped",
      mechanism,
      detail: "the provider already rejects this key: nothing to revoke",
    });
  }
  // Instructions for a person come first: they need no proof that the key is live.
  if ("untrusted" in input.config)
    return settled(manual(undefined, target.rule.remediation, input.config.untrusted));
  if (!config || config.mechanism === "manual" || !config.revoker)
    return settled(manual(config, target.rule.remediation));
  const revoker = findRevoker(config.revoker);
  if (!revoker)
    return settled(
      manual(config, target.rule.remediation, `keywarden has no revoker named "${config.revoker}"`),
    );

  if (!input.force && (status === undefined || !REVOCABLE_STATUSES.has(status))) {
    const why =
      status === undefined
        ? "not verified"
        : `verification: ${status}${verification?.detail ? `, ${verification.detail}` : ""}`;
    return settled({
      status: "skipped",
      mechanism,
      detail: `only keys verified live are revoked (${why}); check it by hand or pass --force`,
      ...(config.dashboard ? { url: config.dashboard } : {}),
    });
  }
  const blocker = revoker.blocker(target, input.env, (service) => input.baseOf(revoker, service));
  if (blocker) return settled(manual(config, target.rule.remediation, blocker));
  return {
    kind: "act",
    revoker,
    detail: withOverrides(revoker.describe(target, input.env), revoker, input.baseOf),
    ...(config.dashboard ? { url: config.dashboard } : {}),
  };
}

/**
 * A revoker's line names its built-in hosts; where --endpoint (or KEYWARDEN_ENDPOINT_*) sends
 * a service elsewhere, the plan says so.
 */
function withOverrides(
  detail: string,
  revoker: Revoker,
  baseOf: (revoker: Revoker, service: string) => URL | undefined,
): string {
  const moved = Object.entries(revoker.bases).flatMap(([service, builtin]) => {
    const base = baseOf(revoker, service);
    return base && base.origin !== new URL(builtin).origin ? [`${service} at ${base.origin}`] : [];
  });
  return moved.length > 0 ? `${detail} (--endpoint: ${moved.join(", ")})` : detail;
}
