import { parseJsonBody, unexpectedAnswer, type Verifier, type VerifyOutcome } from "../verifier.js";

/**
 * Slack `auth.test`: HTTP 200 for good and bad tokens alike, so the verdict is in the body's
 * `ok` and `error` fields.
 */

const INVALID = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
]);
// Slack resolves the token before it checks its type or scopes: these mean it is real.
const RESTRICTED = new Set([
  "missing_scope",
  "no_permission",
  "ekm_access_denied",
  "not_allowed_token_type",
]);

export function slackAuthTestVerifier(): Verifier {
  return {
    prepare(input) {
      return {
        method: "POST",
        path: "/api/auth.test",
        headers: {
          authorization: `Bearer ${input.secret}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "",
      };
    },
    interpret(response): VerifyOutcome {
      const httpStatus = response.status;
      if (httpStatus === 429) {
        return {
          status: "rate-limited",
          httpStatus,
          detail: "rate limited: probably live, not confirmed",
        };
      }
      if (httpStatus !== 200) return unexpectedAnswer(response);
      const json = parseJsonBody(response.body) as
        | { ok?: unknown; error?: unknown; team?: unknown }
        | undefined;
      if (json?.ok === true) {
        const team = typeof json.team === "string" ? ` (workspace ${json.team})` : "";
        return { status: "live", httpStatus, detail: `auth.test ok${team}` };
      }
      const error = typeof json?.error === "string" ? json.error : undefined;
      if (error && INVALID.has(error))
        return { status: "invalid", httpStatus, detail: `auth.test: ${error}` };
      if (error && RESTRICTED.has(error)) {
        return { status: "live-restricted", httpStatus, detail: `auth.test: ${error}` };
      }
      if (error === "ratelimited") {
        return {
          status: "rate-limited",
          httpStatus,
          detail: "rate limited: probably live, not confirmed",
        };
      }
      return {
        status: "unknown",
        httpStatus,
        detail: `auth.test: ${error ?? "unexpected answer"}`,
      };
    },
  };
}
