import type { Companion, Finding, Verification } from "../types.js";
import {
  type EndpointOverrides,
  endpointEnvName,
  joinBase,
  resolveBase,
} from "./endpoint-overrides.js";
import { type HttpClient, HttpFailure, type HttpResponse } from "./http-client.js";
import {
  createConcurrencyLimit,
  createHostRateLimit,
  parseRetryAfter,
  sleep as realSleep,
  type Sleep,
} from "./limiters.js";
import { companionsOf, pairKey, partnersOf } from "./pair-halves.js";
import {
  hasBuiltinShape,
  isTrustedHalf,
  selectVerifyConfig,
  type VerifiableRule,
} from "./select-verify-config.js";
import { isOutcome, type VerifyInput, type VerifyOutcome, webPageAnswer } from "./verifier.js";
import { type ResolvedVerifier, resolveVerifier } from "./verifier-registry.js";

/**
 * The verification stage: one check per unique (rule, secret), or per pair for two-part keys;
 * at most `concurrency` at once; request starts spaced per host; retries with backoff on 429 and
 * 503 (honouring Retry-After); a timeout per request. Every finding comes back verified.
 */

export interface VerifyFindingsOptions {
  /** The rules of this run (built-in merged with the user's config). */
  readonly rules: readonly VerifiableRule[];
  /** The rules keywarden ships: their verify blocks are the only ones trusted by default. */
  readonly builtinRules: readonly VerifiableRule[];
  readonly endpoints: EndpointOverrides;
  readonly trustConfig: boolean;
  readonly http: HttpClient;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Request starts per second per host. */
  readonly ratePerHost: number;
  /** Retries after the first attempt (default 2). */
  readonly maxRetries?: number;
  /** Longest wait before a retry; a longer Retry-After ends retrying (default 30 s). */
  readonly maxRetryWaitMs?: number;
  readonly now?: () => Date;
  readonly sleep?: Sleep;
  /** Called after each unique check with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a rule's findings are checked with, decided once per rule id. */
type RulePlan = VerifyOutcome | (ResolvedVerifier & { readonly base: URL });

interface Job {
  readonly input: VerifyInput;
  /** Either a ready outcome (unsupported) or what to run. */
  readonly plan: RulePlan;
}

const RETRY_STATUSES = new Set([429, 503]);

function planRule(ruleId: string, context: PlanContext): RulePlan {
  const choice = selectVerifyConfig(
    ruleId,
    context.rulesById.get(ruleId),
    context.builtinById,
    context.options.trustConfig,
  );
  if ("unsupported" in choice) return { status: "unsupported", detail: choice.unsupported };
  const resolved = resolveVerifier(choice.config);
  if (!resolved) {
    return {
      status: "unsupported",
      detail: "the rule names a code verifier keywarden does not have",
    };
  }
  const base = resolveBase(context.options.endpoints, resolved.service, resolved.builtinBase);
  if (!base) {
    return {
      status: "unsupported",
      detail: `${resolved.service} is self-hosted: pass its base URL with --endpoint ${resolved.service}=https://host:port or ${endpointEnvName(resolved.service)}`,
    };
  }
  return { ...resolved, base };
}

interface PlanContext {
  readonly rulesById: ReadonlyMap<string, VerifiableRule>;
  readonly builtinById: ReadonlyMap<string, VerifiableRule>;
  readonly options: VerifyFindingsOptions;
}

/**
 * Groups findings into unique checks: by rule + secret, or by pair for two-part keys. Each
 * finding gets the checks to try in turn: one, or for a two-part key one per other half in
 * reach (see partnersOf), the next tried only when the provider rejects a pair.
 */
function planJobs(findings: readonly Finding[], context: PlanContext) {
  const rulePlans = new Map<string, RulePlan>();
  const planOf = (ruleId: string): RulePlan => {
    let plan = rulePlans.get(ruleId);
    if (!plan) {
      plan = planRule(ruleId, context);
      rulePlans.set(ruleId, plan);
    }
    return plan;
  };
  const pairOf = (finding: Finding) => {
    const plan = planOf(finding.ruleId);
    return "status" in plan ? undefined : plan.pair;
  };
  const trusted = (ruleId: string, secret: string) =>
    isTrustedHalf(
      ruleId,
      secret,
      context.rulesById,
      context.builtinById,
      context.options.trustConfig,
    );
  // Halves found by a config's rule are no one's other half: they would go to the provider of
  // the built-in rule beside them. The nearest of all halves only says why a pair is missing.
  const partners = partnersOf(findings, (finding) =>
    trusted(finding.ruleId, finding.secret) ? pairOf(finding) : undefined,
  );
  const nearest = companionsOf(findings, pairOf);
  const untrusted = (companion: Companion): VerifyOutcome => ({
    status: "unsupported",
    detail: `its other half (line ${companion.line}) was found by the config's rule ${companion.ruleId}, not keywarden's own: it is not sent to the provider without --trust-config`,
  });

  const jobs = new Map<string, Job>();
  const jobFor = (finding: Finding, plan: RulePlan, companion: Companion | undefined) => {
    const pair = "status" in plan ? undefined : plan.pair;
    const key = pair
      ? pairKey(pair.name, finding.secret, companion?.secret)
      : [finding.ruleId, finding.secret, companion?.secret ?? ""].join("\0");
    if (!jobs.has(key)) {
      const input: VerifyInput = {
        ruleId: finding.ruleId,
        secret: finding.secret,
        groups: finding.metadata,
        ...(companion ? { companion } : {}),
      };
      jobs.set(key, { input, plan });
    }
    return key;
  };
  const chains = findings.map((finding): Chain => {
    const ruleId = finding.ruleId;
    let plan = hasBuiltinShape(
      context.rulesById.get(ruleId),
      context.builtinById.get(ruleId),
      finding.secret,
    )
      ? planOf(ruleId)
      : {
          status: "unsupported" as const,
          detail: `the config's rule ${ruleId} matched a secret keywarden's own ${ruleId} rule does not: it is not sent to that provider`,
        };
    const paired = !("status" in plan) && plan.pair !== undefined;
    const own = finding.companion;
    let companions = own ? [own] : paired ? (partners.get(finding) ?? []) : [];
    if (!("status" in plan)) {
      const near = paired ? nearest.get(finding) : undefined;
      if (own && !trusted(own.ruleId, own.secret)) plan = untrusted(own);
      else if (companions.length === 0 && near) plan = untrusted(near);
    }
    if ("status" in plan || companions.length === 0) companions = [];
    const tries =
      companions.length === 0
        ? [{ key: jobFor(finding, plan, undefined) }]
        : companions.map((companion) => ({ key: jobFor(finding, plan, companion), companion }));
    return { tries, paired };
  });
  return { jobs, chains };
}

/** The checks a finding takes in turn, with the other half each is made with. */
interface Chain {
  readonly tries: readonly { readonly key: string; readonly companion?: Companion }[];
  /** A two-part key: the half its verdict came with is kept (Finding.pairedWith). */
  readonly paired: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Unknown for a redirect, saying where it pointed: host and path only (a query may carry
 * anything), and the key, should the path hold it (Telegram's /bot<token>/...), left out.
 */
function redirectAnswer(response: HttpResponse, input: VerifyInput): VerifyOutcome | undefined {
  if (!REDIRECTS.has(response.status)) return undefined;
  const httpStatus = response.status;
  let target: URL | undefined;
  try {
    target = new URL(response.headers.location ?? "", response.url);
  } catch {
    target = undefined;
  }
  if (!response.headers.location || !target)
    return { status: "unknown", httpStatus, detail: `redirected (${httpStatus}); not followed` };
  let place = `${target.host}${target.pathname}`;
  for (const secret of [input.secret, input.companion?.secret]) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      place = place.split(form).join("…");
  }
  return {
    status: "unknown",
    httpStatus,
    detail: `redirected (${httpStatus}) to ${place}; not followed: the provider's API answers this call itself`,
  };
}

function backoffMs(attempt: number): number {
  return 500 * 2 ** attempt + Math.floor(Math.random() * 250);
}

/**
 * One key's check, with its retries. Only the requests take a concurrency slot: a wait for a
 * host's turn or its Retry-After holds none, so one rate-limited provider does not hold up the
 * checks of the others.
 */
async function runJob(
  job: Job,
  options: VerifyFindingsOptions,
  limit: ReturnType<typeof createConcurrencyLimit>,
  rateLimit: ReturnType<typeof createHostRateLimit>,
  wait: Sleep,
): Promise<VerifyOutcome> {
  if ("status" in job.plan) return job.plan;
  const { verifier, base } = job.plan;
  const probe = verifier.prepare(job.input, base);
  if (isOutcome(probe)) return probe;
  const url = joinBase(base, probe.path);
  if (!url)
    return { status: "unsupported", detail: "the verify path would leave the provider's host" };

  const maxRetries = options.maxRetries ?? 2;
  const maxWait = options.maxRetryWaitMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    await rateLimit.acquire(url.host);
    let response: HttpResponse;
    try {
      response = await limit(() =>
        options.http.send({
          method: probe.method,
          url,
          headers: probe.headers,
          ...(probe.body === undefined ? {} : { body: probe.body }),
          timeoutMs: options.timeoutMs,
          // A who-am-I call is not redirected by the provider: a redirect is the answer.
          followRedirects: false,
        }),
      );
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      if (error.kind === "network" && attempt < maxRetries) {
        await wait(backoffMs(attempt));
        continue;
      }
      return { status: "unknown", detail: error.message };
    }
    if (response.url.origin !== base.origin) {
      // The client follows no redirect here; this only guards that promise.
      return {
        status: "unknown",
        detail: `answer came from ${response.url.host}, not ${base.host}`,
      };
    }
    const redirect = redirectAnswer(response, job.input);
    if (redirect) return redirect;
    if (RETRY_STATUSES.has(response.status) && attempt < maxRetries) {
      const asked = parseRetryAfter(response.headers["retry-after"], Date.now());
      const delay = Math.max(asked ?? 0, backoffMs(attempt));
      if (delay <= maxWait) {
        // The provider asked the host to wait: the other keys bound there wait too.
        if (asked !== undefined) rateLimit.holdFor(url.host, asked);
        await wait(delay);
        continue;
      }
    }
    return webPageAnswer(response) ?? verifier.interpret(response, job.input);
  }
}

/**
 * A chain's verdict: the first check the provider does not reject, else the first check's, and
 * which try it came from.
 */
async function runChain(
  chain: Chain,
  check: (key: string) => Promise<VerifyOutcome>,
): Promise<{ outcome: VerifyOutcome; at: number }> {
  const firstOutcome = await check(chain.tries[0]!.key);
  if (firstOutcome.status !== "invalid" || chain.tries.length === 1)
    return { outcome: firstOutcome, at: 0 };
  for (let at = 1; at < chain.tries.length; at++) {
    const outcome = await check(chain.tries[at]!.key);
    if (outcome.status === "invalid") continue;
    return { outcome, at };
  }
  const others = chain.tries.length - 1;
  return {
    outcome: {
      ...firstOutcome,
      detail: `${firstOutcome.detail}; nor with the other ${others === 1 ? "half" : `${others} halves`} in reach`,
    },
    at: 0,
  };
}

/** Adds `verification` to every finding; the input array is not changed. */
export async function verifyFindings(
  findings: readonly Finding[],
  options: VerifyFindingsOptions,
): Promise<Finding[]> {
  const now = options.now ?? (() => new Date());
  const wait = options.sleep ?? realSleep;
  const { jobs, chains } = planJobs(findings, {
    rulesById: new Map(options.rules.map((rule) => [rule.id, rule])),
    builtinById: new Map(options.builtinRules.map((rule) => [rule.id, rule])),
    options,
  });

  const limit = createConcurrencyLimit(Math.max(1, options.concurrency));
  const rateLimit = createHostRateLimit(options.ratePerHost, Date.now, wait);
  // One request per unique check, however many findings (or chains) take it.
  const checks = new Map<string, Promise<VerifyOutcome>>();
  const check = (key: string) => {
    let outcome = checks.get(key);
    if (!outcome) {
      outcome = runJob(jobs.get(key)!, options, limit, rateLimit, wait);
      checks.set(key, outcome);
    }
    return outcome;
  };
  // Chains of the same checks in the same order have one verdict (the halves of one pair, or
  // a key seen in many places); each finding then takes its own other half from it.
  const unique = new Map<string, Chain>();
  const chainKeys = chains.map((chain) => {
    const key = chain.tries.map((one) => one.key).join("\u0001");
    if (!unique.has(key)) unique.set(key, chain);
    return key;
  });
  const total = unique.size;
  let done = 0;
  const results = new Map<string, { verification: Verification; at: number }>();
  await Promise.all(
    [...unique.entries()].map(async ([key, chain]) => {
      const { outcome, at } = await runChain(chain, check);
      results.set(key, { verification: { ...outcome, checkedAt: now().toISOString() }, at });
      done++;
      options.onProgress?.(done, total);
    }),
  );
  return findings.map((finding, index) => {
    const chain = chains[index]!;
    const result = results.get(chainKeys[index]!)!;
    const pairedWith = chain.paired ? chain.tries[result.at]?.companion : undefined;
    // A verdict made with another half than the first in reach says which.
    const verification =
      result.at > 0 && pairedWith
        ? {
            ...result.verification,
            detail: `${result.verification.detail} (paired with the ${pairedWith.ruleId} on line ${pairedWith.line})`,
          }
        : result.verification;
    return { ...finding, verification, ...(pairedWith ? { pairedWith } : {}) };
  });
}
