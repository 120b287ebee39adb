import { attemptFrom, type Env, oneByOne, type Revoker, type RevokeTarget } from "../revoker.js";

/**
 * SendGrid keys are `SG.<api_key_id>.<secret>`; `DELETE /v3/api_keys/{api_key_id}` needs a key
 * allowed to manage API keys. That is SENDGRID_ADMIN_API_KEY when set (admin), else the leaked
 * key itself (self), which works when it holds the api_keys scope.
 */

const ADMIN_ENV = "SENDGRID_ADMIN_API_KEY";

function keyId(target: RevokeTarget): string | undefined {
  return /^SG\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(target.secret)?.[1];
}

function credential(
  target: RevokeTarget,
  env: Env,
): { value: string; mechanism: "admin" | "self" } {
  const admin = env[ADMIN_ENV];
  return admin ? { value: admin, mechanism: "admin" } : { value: target.secret, mechanism: "self" };
}

export const sendgridApiKeys: Revoker = {
  name: "sendgrid-api-keys",
  mechanism: "self",
  service: "sendgrid",
  bases: { sendgrid: "https://api.sendgrid.com" },
  credentialEnv: [ADMIN_ENV],
  describe: (target, env) =>
    `DELETE /v3/api_keys/${keyId(target) ?? "{id}"} with ${env[ADMIN_ENV] ? ADMIN_ENV : "the key itself (set SENDGRID_ADMIN_API_KEY if it lacks the api_keys scope)"}`,
  blocker: (target) =>
    keyId(target) ? undefined : "the key does not have the SG.<id>.<secret> form",
  revoke: oneByOne(async (target, context) => {
    const id = keyId(target)!;
    const { value, mechanism } = credential(target, context.env);
    const response = await context.send({
      method: "DELETE",
      path: `/v3/api_keys/${encodeURIComponent(id)}`,
      headers: { authorization: `Bearer ${value}` },
      destructive: true,
    });
    return {
      ...attemptFrom(response, `key ${id} deleted (${response.status})`, "SendGrid"),
      mechanism,
    };
  }),
};
