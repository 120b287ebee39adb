import {
  attemptFrom,
  type Env,
  failedAttempt,
  isSuccess,
  listOf,
  oneByOne,
  parseJsonBody,
  type RevokeAttempt,
  type RevokeContext,
  type Revoker,
  type RevokeTarget,
  stringField,
} from "../revoker.js";

/**
 * Pinecone: the Admin API deletes a key by id (`DELETE /admin/api-keys/{id}`) with a service
 * account's access token: PINECONE_ACCESS_TOKEN, or one minted from PINECONE_CLIENT_ID and
 * PINECONE_CLIENT_SECRET at login.pinecone.io. Keys are listed per project without their value,
 * so the leaked key (`pcsk_<label>_<secret>`) is matched by its public label in the key's id or
 * name; when that is not unique, nothing is deleted.
 */

const API_VERSION = "2025-04";

function publicLabel(target: RevokeTarget): string | undefined {
  return /^pcsk_([A-Za-z0-9]+)_/.exec(target.secret)?.[1];
}

function hasCredential(env: Env): boolean {
  return Boolean(
    env.PINECONE_ACCESS_TOKEN || (env.PINECONE_CLIENT_ID && env.PINECONE_CLIENT_SECRET),
  );
}

async function accessToken(
  context: RevokeContext,
): Promise<{ token: string } | { failed: RevokeAttempt }> {
  const given = context.env.PINECONE_ACCESS_TOKEN;
  if (given) return { token: given };
  const response = await context.send({
    method: "POST",
    service: "pinecone-login",
    path: "/oauth/token",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: context.env.PINECONE_CLIENT_ID,
      client_secret: context.env.PINECONE_CLIENT_SECRET,
      audience: "https://api.pinecone.io/",
    }),
    destructive: false,
  });
  const token = stringField(parseJsonBody(response.body), "access_token");
  if (isSuccess(response.status) && token) return { token };
  return { failed: failedAttempt(response, "getting an access token") };
}

export const pineconeAdmin: Revoker = {
  name: "pinecone-admin",
  mechanism: "admin",
  service: "pinecone",
  bases: { pinecone: "https://api.pinecone.io", "pinecone-login": "https://login.pinecone.io" },
  credentialEnv: ["PINECONE_CLIENT_ID", "PINECONE_CLIENT_SECRET", "PINECONE_ACCESS_TOKEN"],
  describe: (target) =>
    `find the key labelled ${publicLabel(target) ?? "?"} among the projects' keys and DELETE /admin/api-keys/{id} with a service-account token`,
  blocker: (target, env) => {
    if (!publicLabel(target))
      return "only pcsk_ keys carry a label the Admin API can be searched by";
    if (!hasCredential(env)) {
      return "set PINECONE_CLIENT_ID and PINECONE_CLIENT_SECRET (or PINECONE_ACCESS_TOKEN) of a service account in the environment to revoke it automatically";
    }
    return undefined;
  },
  revoke: oneByOne(async (target, context) => {
    const token = await accessToken(context);
    if ("failed" in token) return token.failed;
    const headers = {
      authorization: `Bearer ${token.token}`,
      "x-pinecone-api-version": API_VERSION,
    };
    const projects = await context.send({
      method: "GET",
      path: "/admin/projects",
      headers,
      destructive: false,
    });
    if (!isSuccess(projects.status)) {
      return failedAttempt(projects, "listing projects");
    }
    const label = publicLabel(target)!;
    const matches: string[] = [];
    for (const project of listOf(parseJsonBody(projects.body), "data")) {
      const projectId = stringField(project, "id");
      if (!projectId) continue;
      const keys = await context.send({
        method: "GET",
        path: `/admin/projects/${encodeURIComponent(projectId)}/api-keys`,
        headers,
        destructive: false,
      });
      if (!isSuccess(keys.status)) return failedAttempt(keys, "listing API keys");
      for (const key of listOf(parseJsonBody(keys.body), "data")) {
        const id = stringField(key, "id");
        if (id && (id.includes(label) || stringField(key, "name")?.includes(label)))
          matches.push(id);
      }
    }
    if (matches.length !== 1) {
      return {
        accepted: false,
        detail: `cannot find the key's id: ${matches.length === 0 ? "the Admin API lists keys without their value and none names" : `${matches.length} keys name`} its label ${label}`,
      };
    }
    const id = matches[0]!;
    const response = await context.send({
      method: "DELETE",
      path: `/admin/api-keys/${encodeURIComponent(id)}`,
      headers,
      destructive: true,
    });
    return attemptFrom(response, `key ${id} deleted (${response.status})`, "Pinecone");
  }),
};
