import { attemptFrom, oneByOne, type Revoker } from "../revoker.js";

/** Perplexity keys revoke themselves: `POST /revoke_auth_token` with the key as bearer and body. */
export const perplexitySelf: Revoker = {
  name: "perplexity-self",
  mechanism: "self",
  service: "perplexity",
  bases: { perplexity: "https://api.perplexity.ai" },
  credentialEnv: [],
  describe: () => "POST /revoke_auth_token on api.perplexity.ai with the key itself",
  blocker: () => undefined,
  revoke: oneByOne(async (target, context) => {
    const response = await context.send({
      method: "POST",
      path: "/revoke_auth_token",
      headers: { authorization: `Bearer ${target.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ auth_token: target.secret }),
      destructive: true,
    });
    return attemptFrom(response, `key revoked (${response.status})`, "Perplexity");
  }),
};
