import { oneByOne, type Revoker } from "../revoker.js";
import { failureOf, octokitFor } from "./github-credentials-revoke.js";

/**
 * GitHub App installation tokens (ghs_) revoke themselves: `DELETE /installation/token` called
 * with the token, through @octokit/rest. They expire within an hour anyway.
 */
export const githubInstallationToken: Revoker = {
  name: "github-installation-token",
  mechanism: "self",
  service: "github",
  bases: { github: "https://api.github.com" },
  credentialEnv: [],
  describe: () => "DELETE /installation/token on api.github.com with the token itself",
  blocker: () => undefined,
  revoke: oneByOne(async (target, context) => {
    try {
      const response = await octokitFor(
        context,
        target.secret,
      ).rest.apps.revokeInstallationAccessToken();
      return {
        accepted: true,
        httpStatus: response.status,
        detail: `installation token deleted itself (${response.status})`,
      };
    } catch (error) {
      return failureOf(error, "DELETE /installation/token");
    }
  }),
};
