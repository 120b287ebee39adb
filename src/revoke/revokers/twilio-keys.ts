import { attemptFrom, type Env, oneByOne, type Revoker, type RevokeTarget } from "../revoker.js";

/**
 * Twilio API keys (SK…): `DELETE /2010-04-01/Accounts/{AccountSid}/Keys/{Sid}.json`, which only
 * the account's auth token or a Main key may call: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or
 * with TWILIO_API_KEY + TWILIO_API_SECRET (a Main key). An account's auth token itself can only
 * be rotated in the Console.
 */

const KEY_SID = /^SK[0-9a-fA-F]{32}$/;

function keySid(target: RevokeTarget): string | undefined {
  return [target.secret, target.companion?.secret, ...Object.values(target.metadata)].find(
    (value): value is string => value !== undefined && KEY_SID.test(value),
  );
}

function basicAuth(env: Env): string | undefined {
  const account = env.TWILIO_ACCOUNT_SID;
  if (!account) return undefined;
  const [user, password] =
    env.TWILIO_API_KEY && env.TWILIO_API_SECRET
      ? [env.TWILIO_API_KEY, env.TWILIO_API_SECRET]
      : [account, env.TWILIO_AUTH_TOKEN];
  if (!password) return undefined;
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

export const twilioKeys: Revoker = {
  name: "twilio-keys",
  mechanism: "admin",
  service: "twilio",
  bases: { twilio: "https://api.twilio.com" },
  credentialEnv: ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"],
  describe: (target) =>
    `DELETE /2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Keys/${keySid(target) ?? "{SK…}"}.json with the account's auth token or a Main key`,
  blocker: (target, env) => {
    if (!keySid(target))
      return "only API keys (SK…) can be deleted through the API; rotate an auth token in the Console";
    if (!basicAuth(env)) {
      return "set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY + TWILIO_API_SECRET of a Main key) in the environment to revoke it automatically";
    }
    return undefined;
  },
  revoke: oneByOne(async (target, context) => {
    const sid = keySid(target)!;
    const account = context.env.TWILIO_ACCOUNT_SID!;
    const response = await context.send({
      method: "DELETE",
      path: `/2010-04-01/Accounts/${encodeURIComponent(account)}/Keys/${sid}.json`,
      headers: { authorization: basicAuth(context.env)! },
      destructive: true,
    });
    return attemptFrom(response, `key ${sid} deleted (${response.status})`, "Twilio");
  }),
};
