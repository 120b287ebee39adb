import { attemptFrom, oneByOne, type Revoker, type RevokeTarget } from "../revoker.js";

/**
 * LLMOS API keys are `<token name>:<secret>`, stored as `management.llmos.ai.token` resources.
 * The key deletes its own resource through the Steve API. LLMOS is self-hosted, so there is no
 * built-in host: the base comes only from `--endpoint llmos=https://<server>:8443`.
 */

function tokenName(target: RevokeTarget): string | undefined {
  const colon = target.secret.indexOf(":");
  return colon > 0 ? target.secret.slice(0, colon) : undefined;
}

export const llmosToken: Revoker = {
  name: "llmos-token",
  mechanism: "self",
  service: "llmos",
  bases: {},
  credentialEnv: [],
  describe: (target) =>
    `DELETE /v1/management.llmos.ai.tokens/${tokenName(target) ?? "<name>"} on the LLMOS server with the key itself`,
  blocker: (target, _env, baseOf) => {
    if (!tokenName(target)) return "the key has no <name>:<secret> form";
    if (!baseOf("llmos")) {
      return "LLMOS is self-hosted: pass --endpoint llmos=https://<server>:8443 (or KEYWARDEN_ENDPOINT_LLMOS) to revoke it automatically";
    }
    return undefined;
  },
  revoke: oneByOne(async (target, context) => {
    const name = tokenName(target)!;
    const response = await context.send({
      method: "DELETE",
      path: `/v1/management.llmos.ai.tokens/${encodeURIComponent(name)}`,
      headers: { authorization: `Bearer ${target.secret}` },
      destructive: true,
    });
    return attemptFrom(response, `token ${name} deleted (${response.status})`, "LLMOS");
  }),
};
