import { attemptFrom, oneByOne, type Revoker } from "../revoker.js";

/**
 * GitLab access tokens revoke themselves: `DELETE /api/v4/personal_access_tokens/self` with the
 * token in PRIVATE-TOKEN (GitLab 15.0+). Self-managed instances: `--endpoint gitlab=URL`.
 */
export const gitlabSelf: Revoker = {
  name: "gitlab-self",
  mechanism: "self",
  service: "gitlab",
  bases: { gitlab: "https://gitlab.com" },
  credentialEnv: [],
  describe: () => "DELETE /api/v4/personal_access_tokens/self on gitlab.com with the token itself",
  blocker: () => undefined,
  revoke: oneByOne(async (target, context) => {
    const response = await context.send({
      method: "DELETE",
      path: "/api/v4/personal_access_tokens/self",
      headers: { "private-token": target.secret },
      destructive: true,
    });
    return attemptFrom(response, `token deleted (${response.status})`, "GitLab");
  }),
};
