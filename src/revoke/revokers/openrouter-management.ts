import { createHash } from "node:crypto";
import { matchesMaskedKey } from "../masked-key.js";
import {
  attemptFrom,
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
 * OpenRouter: a management key (OPENROUTER_MANAGEMENT_KEY) lists the account's keys by `hash`
 * and deletes one by it. The leaked key is recognised by its hash (SHA-256 of the key) or by a
 * masked `label`; anything else is not guessed at.
 */

const ADMIN_ENV = "OPENROUTER_MANAGEMENT_KEY";
const MAX_PAGES = 50;

export const openrouterManagement: Revoker = {
  name: "openrouter-management",
  mechanism: "admin",
  service: "openrouter",
  bases: { openrouter: "https://openrouter.ai" },
  credentialEnv: [ADMIN_ENV],
  describe: () =>
    `find the key in GET /api/v1/keys and DELETE /api/v1/keys/{hash} with ${ADMIN_ENV}`,
  blocker: (_target, env) => missingEnv(env, [ADMIN_ENV], "an OpenRouter management key"),
  revoke: oneByOne(async (target, context) => {
    const headers = { authorization: `Bearer ${context.env[ADMIN_ENV]}` };
    const digest = createHash("sha256").update(target.secret).digest("hex");
    const matches: string[] = [];
    let total = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const listed = await context.send({
        method: "GET",
        path: `/api/v1/keys?offset=${total}`,
        headers,
        destructive: false,
      });
      if (!isSuccess(listed.status)) {
        return failedAttempt(listed, "listing keys");
      }
      const keys = listOf(parseJsonBody(listed.body), "data");
      for (const key of keys) {
        const hash = stringField(key, "hash");
        const label = stringField(key, "label");
        if (
          hash &&
          (hash === digest || (label !== undefined && matchesMaskedKey(label, target.secret)))
        )
          matches.push(hash);
      }
      total += keys.length;
      if (keys.length === 0 || matches.length > 0) break;
    }
    if (matches.length !== 1) {
      const why =
        matches.length === 0
          ? `none of the ${total} listed keys is it`
          : `${matches.length} listed keys match`;
      return { accepted: false, detail: `cannot find the key's hash: ${why}` };
    }
    const hash = matches[0]!;
    const response = await context.send({
      method: "DELETE",
      path: `/api/v1/keys/${encodeURIComponent(hash)}`,
      headers,
      destructive: true,
    });
    return attemptFrom(response, `key deleted (${response.status})`, "OpenRouter");
  }),
};
