import { failedAttempt, oneByOne, parseJsonBody, type Revoker, stringField } from "../revoker.js";

/**
 * Slack tokens revoke themselves: `auth.revoke` called with the token. Slack answers HTTP 200
 * to everything, so the verdict is in the body (`ok`, `revoked`, `error`).
 */
export const slackAuthRevoke: Revoker = {
  name: "slack-auth-revoke",
  mechanism: "self",
  service: "slack",
  bases: { slack: "https://slack.com" },
  credentialEnv: [],
  describe: () => "POST /api/auth.revoke on slack.com with the token itself",
  blocker: () => undefined,
  revoke: oneByOne(async (target, context) => {
    const response = await context.send({
      method: "POST",
      path: "/api/auth.revoke",
      headers: {
        authorization: `Bearer ${target.secret}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "",
      destructive: true,
    });
    const json = parseJsonBody(response.body) as { ok?: unknown; revoked?: unknown } | undefined;
    if (response.status === 200 && json?.ok === true) {
      return { accepted: true, httpStatus: 200, detail: "auth.revoke: ok" };
    }
    const error = stringField(json, "error");
    if (response.status === 200 && error) {
      return { accepted: false, httpStatus: 200, detail: `auth.revoke: ${error}` };
    }
    return failedAttempt(response, "auth.revoke");
  }),
};
