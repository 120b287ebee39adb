import { findByMaskedKey } from "../masked-key.js";
import {
  attemptFrom,
  describeFailure,
  type Env,
  isSuccess,
  listOf,
  missingEnv,
  oneByOne,
  parseJsonBody,
  type RevokeContext,
  type Revoker,
  stringField,
} from "../revoker.js";

/**
 * OpenAI: an organisation admin key (OPENAI_ADMIN_KEY) lists every project's API keys with a
 * redacted value ("sk-proj-ab...wxyz"); the one that matches the leaked key is deleted. Leaked
 * admin keys (sk-admin-) are found and deleted among the admin keys the same way.
 */

const ADMIN_ENV = "OPENAI_ADMIN_KEY";
/** Stops a provider that keeps saying has_more from keeping us here. */
const MAX_PAGES = 50;

interface Listed {
  readonly id: string;
  readonly redacted: string | undefined;
  readonly deletePath: string;
}

function headersOf(env: Env): Record<string, string> {
  return { authorization: `Bearer ${env[ADMIN_ENV]}`, "content-type": "application/json" };
}

/** Follows OpenAI's `has_more` / `last_id` cursor; throws the failing response's description. */
async function listAll(context: RevokeContext, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `?limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`;
    const response = await context.send({
      method: "GET",
      path: `${path}${query}`,
      headers: headersOf(context.env),
      destructive: false,
    });
    if (!isSuccess(response.status))
      throw new ListingError(describeFailure(response, `GET ${path}`), response.status);
    const json = parseJsonBody(response.body) as
      | { has_more?: unknown; last_id?: unknown }
      | undefined;
    const data = listOf(json, "data");
    items.push(...data);
    const last =
      typeof json?.last_id === "string" ? json.last_id : stringField(data[data.length - 1], "id");
    if (json?.has_more !== true || !last) break;
    after = last;
  }
  return items;
}

class ListingError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

async function candidates(context: RevokeContext, secret: string): Promise<Listed[]> {
  if (secret.startsWith("sk-admin-")) {
    return (await listAll(context, "/v1/organization/admin_api_keys")).flatMap((key) => {
      const id = stringField(key, "id");
      return id
        ? [
            {
              id,
              redacted: stringField(key, "redacted_value"),
              deletePath: `/v1/organization/admin_api_keys/${encodeURIComponent(id)}`,
            },
          ]
        : [];
    });
  }
  const listed: Listed[] = [];
  for (const project of await listAll(context, "/v1/organization/projects")) {
    const projectId = stringField(project, "id");
    if (!projectId) continue;
    const base = `/v1/organization/projects/${encodeURIComponent(projectId)}/api_keys`;
    for (const key of await listAll(context, base)) {
      const id = stringField(key, "id");
      if (id)
        listed.push({
          id,
          redacted: stringField(key, "redacted_value"),
          deletePath: `${base}/${encodeURIComponent(id)}`,
        });
    }
  }
  return listed;
}

export const openaiAdmin: Revoker = {
  name: "openai-admin",
  mechanism: "admin",
  service: "openai",
  bases: { openai: "https://api.openai.com" },
  credentialEnv: [ADMIN_ENV],
  describe: (target) =>
    target.secret.startsWith("sk-admin-")
      ? `find the admin key by its redacted value and DELETE /v1/organization/admin_api_keys/{id} with ${ADMIN_ENV}`
      : `find the project key by its redacted value and DELETE /v1/organization/projects/{project}/api_keys/{id} with ${ADMIN_ENV}`,
  blocker: (_target, env) => missingEnv(env, [ADMIN_ENV], "an OpenAI organisation admin key"),
  revoke: oneByOne(async (target, context) => {
    let listed: Listed[];
    try {
      listed = await candidates(context, target.secret);
    } catch (error) {
      if (!(error instanceof ListingError)) throw error;
      return { accepted: false, httpStatus: error.httpStatus, detail: error.message };
    }
    const found = findByMaskedKey(listed, (key) => key.redacted, target.secret);
    if ("error" in found)
      return { accepted: false, detail: `cannot find the key's id: ${found.error}` };
    const response = await context.send({
      method: "DELETE",
      path: found.entry.deletePath,
      headers: headersOf(context.env),
      destructive: true,
    });
    return attemptFrom(response, `key ${found.entry.id} deleted (${response.status})`, "OpenAI");
  }),
};
