import { findByMaskedKey } from "../masked-key.js";
import {
  attemptFrom,
  failedAttempt,
  isSuccess,
  listOf,
  oneByOne,
  parseJsonBody,
  type Revoker,
  stringField,
} from "../revoker.js";

/**
 * LangSmith personal access tokens: "callers may always revoke their own tokens". The token
 * lists the organisation's PATs, finds itself by its short (masked) form, and posts the
 * revocation of its own id.
 */
export const langsmithPat: Revoker = {
  name: "langsmith-pat",
  mechanism: "self",
  service: "langsmith",
  bases: { langsmith: "https://api.smith.langchain.com" },
  credentialEnv: [],
  describe: () =>
    "GET /api/v1/orgs/current/personal-access-tokens to find the token's id, then POST …/{id}/revocation, with the token itself",
  blocker: (target) =>
    target.secret.startsWith("lsv2_pt_")
      ? undefined
      : "only personal access tokens (lsv2_pt_) revoke themselves",
  revoke: oneByOne(async (target, context) => {
    const headers = { "x-api-key": target.secret };
    const listed = await context.send({
      method: "GET",
      path: "/api/v1/orgs/current/personal-access-tokens",
      headers,
      destructive: false,
    });
    if (!isSuccess(listed.status)) {
      return failedAttempt(listed, "listing tokens");
    }
    const found = findByMaskedKey(
      listOf(parseJsonBody(listed.body), "items", "data"),
      (t) => stringField(t, "short_key"),
      target.secret,
    );
    if ("error" in found)
      return {
        accepted: false,
        httpStatus: listed.status,
        detail: `cannot find the token's id: ${found.error}`,
      };
    const id = stringField(found.entry, "id");
    if (!id)
      return { accepted: false, httpStatus: listed.status, detail: "the listed token has no id" };
    const response = await context.send({
      method: "POST",
      path: `/api/v1/orgs/current/personal-access-tokens/${encodeURIComponent(id)}/revocation`,
      headers,
      destructive: true,
    });
    return attemptFrom(response, `token ${id} revoked (${response.status})`, "LangSmith");
  }),
};
