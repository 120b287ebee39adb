import { randomBytes } from "node:crypto";
import type { CompiledRule } from "../config/compile-rules.js";
import { DEFAULT_REDACT_PERCENT, redactSecret } from "../report/redact.js";
import type { Finding, Revocation, RevocationMechanism, Verification } from "../types.js";
import type { EndpointOverrides } from "../verify/endpoint-overrides.js";
import { type HttpClient, HttpFailure } from "../verify/http-client.js";
import { createHostRateLimit, sleep as realSleep, type Sleep } from "../verify/limiters.js";
import { companionsOf } from "../verify/pair-halves.js";
import { hasBuiltinShape, isTrustedHalf } from "../verify/select-verify-config.js";
import { pairOf } from "../verify/verifier-registry.js";
import type { AuditEntry, AuditLog } from "./audit-log.js";
import { planRevocation, type RevocationPlan, selectRevokeConfig } from "./plan-revocation.js";
import { createRevokeContext, resolveRevokerBase } from "./revoke-context.js";
import type { Env, RevokeAttempt, Revoker, RevokeTarget } from "./revoker.js";
import { REVOKERS } from "./revoker-registry.js";
import { credentialsFromEnv } from "./scrub-credentials.js";

/**
 * The revocation stage: verify every unique key again, plan, and (only when asked) act, then
 * verify again and call a key `revoked` only when its provider now rejects it. Every step of
 * every key goes to the audit log as it happens.
 */

export type RevocationMode = "dry-run" | "execute" | "interactive";

export interface RunRevocationOptions {
  readonly findings: readonly Finding[];
  /** The rules of this run (built-in merged with the user's config). */
  readonly rules: readonly CompiledRule[];
  /** The rules keywarden ships: their revoke blocks win over a config's. */
  readonly builtinRules: readonly CompiledRule[];
  readonly mode: RevocationMode;
  /** Revoke keys that did not verify live too, and keys the audit log says are revoked. */
  readonly force: boolean;
  readonly trustConfig: boolean;
  readonly env: Env;
  readonly endpoints: EndpointOverrides;
  readonly http: HttpClient;
  readonly timeoutMs: number;
  /** Provider calls started per second per host, as for verification (--verify-rate). */
  readonly ratePerHost: number;
  readonly audit: AuditLog;
  /** Fresh verification of these findings (no cache across calls). */
  readonly verify: (findings: readonly Finding[]) => Promise<Finding[]>;
  /** Asks a person about one key (interactive mode). */
  readonly confirm?: (target: RevokeTarget, plan: string) => Promise<boolean>;
  /** How long to keep re-checking a key the provider accepted to revoke before calling it failed. */
  readonly confirmWaitMs: number;
  readonly sleep?: Sleep;
  readonly now?: () => Date;
}

export interface RevocationRun {
  /** Every input finding, with `revocation` (and the latest `verification`). */
  readonly findings: Finding[];
  readonly targets: number;
}

type ActPlan = Extract<RevocationPlan, { kind: "act" }>;

/**
 * One target per unique key (a secret, with the other half it pairs with); findings whose
 * rule is not in the run belong to none. `verified` holds each finding verified: a two-part
 * key's other half is the one its verification paired it with (see Finding.pairedWith), so the
 * revocation goes with the pair the provider accepted.
 */
function groupTargets(
  findings: readonly Finding[],
  verified: readonly Finding[],
  rulesById: ReadonlyMap<string, CompiledRule>,
  builtinById: ReadonlyMap<string, CompiledRule>,
  trustConfig: boolean,
): { targets: RevokeTarget[]; verificationOf: Map<RevokeTarget, Verification | undefined> } {
  const groups = new Map<string, { target: RevokeTarget; verification?: Verification }>();
  // As verification takes them: a half a config's rule found is no one's other half.
  const trusted = (ruleId: string, secret: string) =>
    isTrustedHalf(ruleId, secret, rulesById, builtinById, trustConfig);
  const verifyConfigOf = (ruleId: string) =>
    builtinById.get(ruleId)?.raw.verify ??
    (trustConfig && !builtinById.has(ruleId) ? rulesById.get(ruleId)?.raw.verify : undefined);
  // A two-part key's halves pair up as verification pairs them, not only where a rule
  // requires a companion: the AWS key id and its secret on neighbouring lines. These are for
  // halves verification did not pair (a rule it cannot check).
  const companions = companionsOf(findings, (finding) =>
    trusted(finding.ruleId, finding.secret) ? pairOf(verifyConfigOf(finding.ruleId)) : undefined,
  );
  findings.forEach((finding, index) => {
    const rule = rulesById.get(finding.ruleId);
    if (!rule) return;
    const own = finding.companion;
    const companion = own
      ? trusted(own.ruleId, own.secret)
        ? own
        : undefined
      : (verified[index]?.pairedWith ?? companions.get(finding));
    const key = `${finding.fingerprint}\0${companion?.secret ?? ""}`;
    const known = groups.get(key);
    if (known) {
      known.target = { ...known.target, findings: [...known.target.findings, finding] };
      return;
    }
    const verification = verified[index]?.verification;
    groups.set(key, {
      target: {
        fingerprint: finding.fingerprint,
        rule,
        findings: [finding],
        secret: finding.secret,
        ...(companion ? { companion } : {}),
        metadata: finding.metadata,
      },
      ...(verification ? { verification } : {}),
    });
  });
  const targets = [...groups.values()].map((group) => group.target);
  return {
    targets,
    verificationOf: new Map([...groups.values()].map((g) => [g.target, g.verification])),
  };
}

/** The audit fields that record a verification. */
function verificationEntry(verification: Verification | undefined) {
  return {
    outcome: verification?.status ?? "unknown",
    ...(verification?.httpStatus !== undefined ? { httpStatus: verification.httpStatus } : {}),
    ...(verification?.detail ? { detail: verification.detail } : {}),
  };
}

/** Splits one revoker's keys into calls of at most its batch size. */
function chunksFor(revoker: Revoker, targets: readonly RevokeTarget[]): RevokeTarget[][] {
  const size = Math.max(1, revoker.batchSize ?? 1);
  const chunks: RevokeTarget[][] = [];
  for (let start = 0; start < targets.length; start += size)
    chunks.push(targets.slice(start, start + size));
  return chunks;
}

export async function runRevocation(options: RunRevocationOptions): Promise<RevocationRun> {
  const now = options.now ?? (() => new Date());
  const wait = options.sleep ?? realSleep;
  const run = randomBytes(6).toString("hex");
  const auditMode: AuditEntry["mode"] = options.mode === "dry-run" ? "dry-run" : "executed";
  const rulesById = new Map(options.rules.map((rule) => [rule.id, rule]));
  const builtinById = new Map(options.builtinRules.map((rule) => [rule.id, rule]));
  // 1. Verify every key again: a report may be old, and only live keys are worth a call. All
  // findings at once, so each two-part key is checked beside its neighbours, paired as they are.
  const verified = await options.verify(options.findings);
  const { targets, verificationOf } = groupTargets(
    options.findings,
    verified,
    rulesById,
    builtinById,
    options.trustConfig,
  );
  // What keywarden reads from the environment to act: never written, whatever quotes it.
  const credentials = credentialsFromEnv(
    options.env,
    REVOKERS.flatMap((revoker) => revoker.credentialEnv),
  );
  // Every key of the run, not only the entry's own: one call can revoke many keys (GitHub's
  // /credentials/revoke), and its answer, which may quote any of them, is logged for each.
  const runSecrets = targets.flatMap((target) => [target.secret, target.companion?.secret]);

  const write = (
    target: RevokeTarget,
    mechanism: RevocationMechanism,
    entry: Omit<
      AuditEntry,
      "time" | "run" | "mode" | "rule" | "provider" | "fingerprint" | "secret" | "mechanism"
    >,
  ): void => {
    options.audit.append(
      {
        time: now().toISOString(),
        run,
        mode: auditMode,
        rule: target.rule.id,
        provider: target.rule.provider,
        fingerprint: target.fingerprint,
        secret: redactSecret(target.secret, DEFAULT_REDACT_PERCENT),
        mechanism,
        ...entry,
      },
      [...runSecrets, ...credentials.map((c) => c.value)],
    );
  };

  for (const target of targets) {
    write(target, target.rule.raw.revoke?.mechanism ?? "manual", {
      step: "verify-before",
      ...verificationEntry(verificationOf.get(target)),
    });
  }

  // 2. Plan.
  const asRevokable = (rule: CompiledRule) => ({
    id: rule.id,
    revoke: rule.raw.revoke,
    source: rule.source,
  });
  const plans = new Map<RevokeTarget, RevocationPlan>();
  for (const target of targets) {
    // The shipped revoker takes only secrets of the shipped rule's shape (see hasBuiltinShape).
    const shipped = builtinById.get(target.rule.id);
    const builtin = hasBuiltinShape(target.rule, shipped, target.secret) ? shipped : undefined;
    const plan = planRevocation({
      target,
      config: selectRevokeConfig(
        asRevokable(target.rule),
        builtin && asRevokable(builtin),
        options.trustConfig,
      ),
      verification: verificationOf.get(target),
      history: options.audit.history(target.fingerprint),
      env: options.env,
      baseOf: (revoker, service) => resolveRevokerBase(revoker, options.endpoints, service),
      force: options.force,
    });
    plans.set(target, plan);
    const initial = planned(plan);
    write(target, initial.mechanism, {
      step: "plan",
      outcome: initial.status,
      ...(plan.kind === "act" ? { revoker: plan.revoker.name } : {}),
      detail: initial.detail,
    });
  }

  const results = new Map<RevokeTarget, { revocation: Revocation; verification?: Verification }>();
  for (const [target, plan] of plans) results.set(target, { revocation: planned(plan) });

  // 3. Act, when asked to.
  if (options.mode !== "dry-run") {
    const acting = new Map<RevokeTarget, ActPlan>();
    const byRevoker = new Map<Revoker, RevokeTarget[]>();
    const sameKey = sameKeyTargets(plans);
    for (const [target, plan] of plans) {
      if (plan.kind !== "act" || sameKey.has(target)) continue;
      if (options.mode === "interactive" && !(await options.confirm?.(target, plan.detail))) {
        const revocation: Revocation = {
          status: "skipped",
          mechanism: plan.revoker.mechanism,
          detail: "declined at the prompt",
        };
        results.set(target, { revocation });
        write(target, revocation.mechanism, {
          step: "outcome",
          revoker: plan.revoker.name,
          outcome: "skipped",
          detail: revocation.detail,
        });
        continue;
      }
      acting.set(target, plan);
      byRevoker.set(plan.revoker, [...(byRevoker.get(plan.revoker) ?? []), target]);
    }
    const rateLimit = createHostRateLimit(options.ratePerHost, Date.now, wait);
    for (const [revoker, group] of byRevoker) {
      for (const chunk of chunksFor(revoker, group)) {
        const context = createRevokeContext({
          revoker,
          targets: chunk,
          env: options.env,
          endpoints: options.endpoints,
          http: options.http,
          timeoutMs: options.timeoutMs,
          rateLimit,
          credentials,
          record: (target, record) =>
            write(target, revoker.mechanism, { revoker: revoker.name, ...record }),
        });
        let attempts: RevokeAttempt[];
        try {
          attempts = await revoker.revoke(chunk, context);
        } catch (error) {
          if (!(error instanceof HttpFailure)) throw error;
          attempts = chunk.map(() => ({ accepted: false, detail: error.message }));
        }
        const after = await confirmDead(options, chunk, attempts, wait);
        chunk.forEach((target, index) => {
          const attempt = attempts[index]!;
          const verification = after.get(target);
          const plan = acting.get(target)!;
          const revocation = outcomeOf(revoker, plan, attempt, verification, options.confirmWaitMs);
          write(target, revocation.mechanism, {
            step: "verify-after",
            revoker: revoker.name,
            ...verificationEntry(verification),
          });
          write(target, revocation.mechanism, {
            step: "outcome",
            revoker: revoker.name,
            outcome: revocation.status,
            ...(revocation.httpStatus !== undefined ? { httpStatus: revocation.httpStatus } : {}),
            detail: revocation.detail,
          });
          results.set(target, { revocation, ...(verification ? { verification } : {}) });
        });
      }
    }
    // The same key under another rule shares the outcome of the one call made for it.
    for (const [target, first] of sameKey) {
      const shared = results.get(first)!;
      const where = `${first.findings[0]!.path}:${first.findings[0]!.line}`;
      const revocation: Revocation = {
        ...shared.revocation,
        detail: `the same key as the ${first.rule.title} at ${where}: ${shared.revocation.detail}`,
      };
      results.set(target, { ...shared, revocation });
      const plan = plans.get(target) as ActPlan;
      write(target, revocation.mechanism, {
        step: "outcome",
        revoker: plan.revoker.name,
        outcome: revocation.status,
        detail: revocation.detail,
      });
    }
  }

  // 4. Half of a two-part key (an AWS key id) is dead when the pair it belongs to was revoked.
  for (const target of targets) {
    const own = results.get(target)!;
    if (own.revocation.status !== "manual" && own.revocation.status !== "skipped") continue;
    const pair = targets.find(
      (other) =>
        other.companion?.secret === target.secret &&
        results.get(other)?.revocation.status === "revoked",
    );
    if (!pair) continue;
    const pairResult = results.get(pair)!;
    const revocation: Revocation = {
      status: "revoked",
      mechanism: pairResult.revocation.mechanism,
      detail: `revoked together with its pair (${pair.rule.title})`,
    };
    results.set(target, {
      revocation,
      ...(pairResult.verification ? { verification: pairResult.verification } : {}),
    });
    write(target, revocation.mechanism, {
      step: "outcome",
      outcome: "revoked",
      detail: revocation.detail,
    });
  }

  // 5. Back onto every finding.
  const byFinding = new Map<Finding, { revocation: Revocation; verification?: Verification }>();
  for (const target of targets) {
    const result = results.get(target)!;
    const verification = result.verification ?? verificationOf.get(target);
    for (const finding of target.findings)
      byFinding.set(finding, {
        revocation: result.revocation,
        ...(verification ? { verification } : {}),
      });
  }
  const findings = options.findings.map((finding): Finding => {
    const result = byFinding.get(finding);
    if (result) return { ...finding, ...result };
    return {
      ...finding,
      revocation: {
        status: "skipped",
        mechanism: "manual",
        detail: `no rule "${finding.ruleId}" in this run's rules`,
      },
    };
  });
  return { findings, targets: targets.length };
}

/**
 * Targets to act on whose key an earlier target already acts on with the same revoker, each
 * mapped to that first target. Targets are per rule and secret (the fingerprint), so one key
 * two rules find (an AWS secret in a .env and in the console's accessKeys.csv), or both halves
 * of a pair whose rules both revoke (a Twilio SID and its secret), is two targets: it must get
 * one destructive call, not a second one that fails against the key just deleted.
 */
function sameKeyTargets(
  plans: ReadonlyMap<RevokeTarget, RevocationPlan>,
): Map<RevokeTarget, RevokeTarget> {
  const firsts = new Map<string, RevokeTarget>();
  const same = new Map<RevokeTarget, RevokeTarget>();
  for (const [target, plan] of plans) {
    if (plan.kind !== "act") continue;
    // A pair is the same key whichever of its halves the target is.
    const halves = [target.secret, target.companion?.secret ?? ""].sort();
    const key = `${plan.revoker.name}\0${halves.join("\0")}`;
    const first = firsts.get(key);
    if (first) same.set(target, first);
    else firsts.set(key, target);
  }
  return same;
}

/** The revocation a plan stands for before anything is done. */
function planned(plan: RevocationPlan): Revocation {
  if (plan.kind === "settled") return plan.revocation;
  return {
    status: "planned",
    mechanism: plan.revoker.mechanism,
    detail: plan.detail,
    ...(plan.url ? { url: plan.url } : {}),
  };
}

async function verifyTargets(
  options: RunRevocationOptions,
  targets: readonly RevokeTarget[],
): Promise<Map<RevokeTarget, Verification | undefined>> {
  // Each key with its other half, when it has one: a two-part key is only checked as a pair.
  const verified = await options.verify(
    targets.map((target) => {
      const finding = target.findings[0]!;
      return target.companion && !finding.companion
        ? { ...finding, companion: target.companion }
        : finding;
    }),
  );
  return new Map(targets.map((target, index) => [target, verified[index]?.verification]));
}

/**
 * Verifies the chunk again; keys the provider accepted to revoke but still verify get a few
 * more checks with growing pauses (revocation may take a moment to reach every server).
 */
async function confirmDead(
  options: RunRevocationOptions,
  chunk: readonly RevokeTarget[],
  attempts: readonly RevokeAttempt[],
  wait: Sleep,
): Promise<Map<RevokeTarget, Verification | undefined>> {
  const latest = await verifyTargets(options, chunk);
  const deadline = Date.now() + options.confirmWaitMs;
  let pause = 1000;
  for (;;) {
    // Keys without a read-only check ("unsupported") will not change their answer: no point waiting.
    const pending = chunk.filter((target, index) => {
      const status = latest.get(target)?.status;
      return attempts[index]!.accepted && status !== "invalid" && status !== "unsupported";
    });
    const left = deadline - Date.now();
    if (pending.length === 0 || left <= 0) return latest;
    await wait(Math.min(pause, left));
    pause *= 2;
    for (const [target, verification] of await verifyTargets(options, pending))
      latest.set(target, verification);
  }
}

function outcomeOf(
  revoker: Revoker,
  plan: ActPlan,
  attempt: RevokeAttempt,
  verification: Verification | undefined,
  confirmWaitMs: number,
): Revocation {
  const mechanism = attempt.mechanism ?? revoker.mechanism;
  const httpStatus = attempt.httpStatus !== undefined ? { httpStatus: attempt.httpStatus } : {};
  if (verification?.status === "invalid") {
    return {
      status: "revoked",
      mechanism,
      detail: `${attempt.detail}; the provider now rejects the key`,
      ...httpStatus,
    };
  }
  const now = verification
    ? `${verification.status}${verification.detail ? ` (${verification.detail})` : ""}`
    : "unchecked";
  const detail = !attempt.accepted
    ? `${attempt.detail}; the key still verifies ${now}`
    : verification?.status === "unsupported"
      ? `${attempt.detail}, but keywarden has no read-only check for this key, so it cannot confirm the provider now rejects it: check in the dashboard`
      : `${attempt.detail}, but the key still verifies ${now} after ${Math.round(confirmWaitMs / 1000)} s; check again later or revoke it by hand`;
  return {
    status: "revoke-failed",
    mechanism,
    detail,
    ...httpStatus,
    ...(plan.url ? { url: plan.url } : {}),
  };
}
