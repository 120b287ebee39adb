import type { VerifySpec } from "../config/rule-schema.js";
import type { VerificationStatus } from "../types.js";
import { fillTemplate, TemplateError } from "./fill-template.js";
import type { HttpResponse } from "./http-client.js";
import {
  notJsonAnswer,
  parseJsonBody,
  unexpectedAnswer,
  type Verifier,
  type VerifyInput,
  type VerifyOutcome,
  type VerifyProbe,
} from "./verifier.js";

/**
 * The verifier a rule's `verify:` block describes: one request with the secret substituted,
 * then body rules, then the status lists (live, restricted, invalid, rate-limited).
 */

type BodyRule = NonNullable<VerifySpec["bodyRules"]>[number];

const DETAIL: Readonly<Record<VerificationStatus, string>> = {
  live: "the provider accepted the key",
  "live-restricted": "the key authenticated but may not use this endpoint",
  invalid: "the provider rejected the key",
  "rate-limited": "rate limited: probably live, not confirmed",
  unknown: "the provider's answer did not say",
  unsupported: "no verifier",
};

function templateValues(input: VerifyInput): Record<string, string | undefined> {
  return { ...input.groups, secret: input.secret, companion: input.companion?.secret };
}

/** Reads `a.b.0.c` from parsed JSON. */
function fieldValue(json: unknown, field: string): unknown {
  let value: unknown = json;
  for (const part of field.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function bodyRuleMatches(rule: BodyRule, response: HttpResponse): boolean {
  if (rule.status !== undefined && rule.status !== response.status) return false;
  if (rule.field === undefined) {
    return rule.contains === undefined || response.body.includes(rule.contains);
  }
  const json = parseJsonBody(response.body);
  if (json === undefined) return false;
  const value = fieldValue(json, rule.field);
  if (rule.equals !== undefined) return value === rule.equals;
  if (rule.contains !== undefined)
    return typeof value === "string" && value.includes(rule.contains);
  return value !== undefined && value !== null && value !== false;
}

function describeBodyRule(rule: BodyRule): string {
  const condition =
    rule.equals !== undefined
      ? `${rule.field} = ${JSON.stringify(rule.equals)}`
      : rule.contains !== undefined
        ? `${rule.field ?? "body"} contains "${rule.contains}"`
        : `${rule.field} present`;
  return `${DETAIL[rule.result]} (${condition})`;
}

export function classifyResponse(spec: VerifySpec, response: HttpResponse): VerifyOutcome {
  const httpStatus = response.status;
  for (const rule of spec.bodyRules ?? []) {
    if (bodyRuleMatches(rule, response)) {
      return { status: rule.result, httpStatus, detail: describeBodyRule(rule) };
    }
  }
  const lists: readonly [readonly number[], VerificationStatus][] = [
    [spec.live, "live"],
    [spec.restricted, "live-restricted"],
    [spec.invalid, "invalid"],
    [spec.rateLimited, "rate-limited"],
  ];
  for (const [codes, status] of lists) {
    if (!codes.includes(httpStatus)) continue;
    // The services these blocks call answer JSON: a body that is not cannot prove a key works.
    const stranger =
      status === "live" || status === "live-restricted" ? notJsonAnswer(response) : undefined;
    return stranger ?? { status, httpStatus, detail: `${DETAIL[status]} (${httpStatus})` };
  }
  return unexpectedAnswer(response);
}

export function declarativeVerifier(spec: VerifySpec): Verifier {
  return {
    prepare(input): VerifyProbe | VerifyOutcome {
      const values = templateValues(input);
      try {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(spec.headers ?? {})) {
          headers[name.toLowerCase()] = fillTemplate(value, values, "header");
        }
        let body: string | undefined;
        if (spec.form) {
          const form = new URLSearchParams();
          for (const [name, value] of Object.entries(spec.form)) {
            form.set(name, fillTemplate(value, values, "text"));
          }
          body = form.toString();
          headers["content-type"] ??= "application/x-www-form-urlencoded";
        } else if (spec.body !== undefined) {
          body = fillTemplate(spec.body, values, spec.json ? "json" : "text");
          if (spec.json) headers["content-type"] ??= "application/json";
        }
        const path = fillTemplate(spec.path, values, "path");
        return { method: spec.method, path, headers, ...(body === undefined ? {} : { body }) };
      } catch (error) {
        if (error instanceof TemplateError) return { status: "unsupported", detail: error.message };
        throw error;
      }
    },
    interpret(response) {
      return classifyResponse(spec, response);
    },
  };
}
