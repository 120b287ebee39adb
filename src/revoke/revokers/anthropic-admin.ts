import { findByMaskedKey } from "../masked-key.js";
import {
  attemptFrom,
  type Env,
  failedAttempt,
  isSuccess,
  listOf,
  missingEnv,
  oneByOne,
  parseJsonBody,
  type Revoker,
  stringField,
} from "../revoker.js";

/**
 * Anthropic: an admin key (ANTHROPIC_ADMIN_API_KEY) lists the organisation's API keys, each with
 * a `partial_key_hint` ("sk-ant-api03-R2D...igAA"); the matching key is set `inactive` (Anthropic
 * has no delete). Inactive keys are rejected, which the follow-up verification confirms.
 */

const ADMIN_ENV = "ANTHROPIC_ADMIN_API_KEY";
const MAX_PAGES = 50;

function headersOf(env: Env): Record<string, string> {
  return {
    "x-api-key": env[ADMIN_ENV] ?? "",
    "anthropic-version": "2023-06-01",
    "content-type": "application/json",
  };
}

export const anthropicAdmin: Revoker = {
  name: "anthropic-admin",
  mechanism: "admin",
  service: "anthropic",
  bases: { anthropic: "https://api.anthropic.com" },
  credentialEnv: [ADMIN_ENV],
  describe: () =>
    `find the key by its partial_key_hint and POST /v1/organizations/api_keys/{id} {"status":"inactive"} with ${ADMIN_ENV}`,
  blocker: (_target, env) => missingEnv(env, [ADMIN_ENV], "an Anthropic admin key"),
  revoke: oneByOne(async (target, context) => {
    const headers = headersOf(context.env);
    const keys: unknown[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = `?limit=100${after ? `&after_id=${encodeURIComponent(after)}` : ""}`;
      const listed = await context.send({
        method: "GET",
        path: `/v1/organizations/api_keys${query}`,
        headers,
        destructive: false,
      });
      if (!isSuccess(listed.status)) {
        return failedAttempt(listed, "listing API keys");
      }
      const json = parseJsonBody(listed.body) as
        | { has_more?: unknown; last_id?: unknown }
        | undefined;
      keys.push(...listOf(json, "data"));
      if (json?.has_more !== true || typeof json.last_id !== "string") break;
      after = json.last_id;
    }
    const found = findByMaskedKey(
      keys,
      (key) => stringField(key, "partial_key_hint"),
      target.secret,
    );
    if ("error" in found)
      return { accepted: false, detail: `cannot find the key's id: ${found.error}` };
    const id = stringField(found.entry, "id");
    if (!id) return { accepted: false, detail: "the listed key has no id" };
    const response = await context.send({
      method: "POST",
      path: `/v1/organizations/api_keys/${encodeURIComponent(id)}`,
      headers,
      body: JSON.stringify({ status: "inactive" }),
      destructive: true,
    });
    return attemptFrom(response, `key ${id} set inactive (${response.status})`, "Anthropic");
  }),
};
