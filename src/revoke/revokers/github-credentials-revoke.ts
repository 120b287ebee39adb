import { Octokit } from "@octokit/rest";
import { HttpFailure } from "../../verify/http-client.js";
import type { RevokeAttempt, RevokeContext, Revoker, RevokeTarget } from "../revoker.js";

/**
 * GitHub tokens (ghp_, github_pat_, gho_, ghu_, ghr_) go to `POST /credentials/revoke` through
 * @octokit/rest: no credential needed (GitHub refuses authenticated calls there), up to 1000
 * tokens per call, and the owners are notified. `--endpoint github=URL` points it at a GitHub
 * Enterprise Server or a stand-in. Installation tokens (ghs_) are not accepted there: see
 * github-installation-token.
 */

/** GitHub's documented limit of credentials per request. */
export const GITHUB_REVOKE_BATCH = 1000;

export function failureOf(error: unknown, what: string): RevokeAttempt {
  if (error instanceof HttpFailure) return { accepted: false, detail: `${what}: ${error.message}` };
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number") {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 160) : "";
    return {
      accepted: false,
      httpStatus: status,
      detail: `${what} answered ${status}${message ? `: ${message}` : ""}`,
    };
  }
  throw error;
}

/** An Octokit on the resolved GitHub base whose requests go through the revoke context. */
export function octokitFor(context: RevokeContext, auth?: string): Octokit {
  const base = context.baseOf("github")!;
  return new Octokit({
    baseUrl: base.href.replace(/\/$/, ""),
    ...(auth ? { auth } : {}),
    request: { fetch: context.fetchFor("github") },
    // Octokit logs warnings to the console by default; the report says what happened instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

async function revokeCredentials(
  targets: readonly RevokeTarget[],
  context: RevokeContext,
): Promise<RevokeAttempt[]> {
  try {
    const response = await octokitFor(context).rest.credentials.revoke({
      credentials: targets.map((target) => target.secret),
    });
    const accepted: RevokeAttempt = {
      accepted: true,
      httpStatus: response.status,
      detail: `POST /credentials/revoke accepted (${response.status}); GitHub notifies the owner`,
    };
    return targets.map(() => accepted);
  } catch (error) {
    const failed = failureOf(error, "POST /credentials/revoke");
    return targets.map(() => failed);
  }
}

export const githubCredentialsRevoke: Revoker = {
  name: "github-credentials-revoke",
  mechanism: "github",
  service: "github",
  bases: { github: "https://api.github.com" },
  credentialEnv: [],
  batchSize: GITHUB_REVOKE_BATCH,
  describe: () =>
    "POST /credentials/revoke on api.github.com (no credential needed; GitHub notifies the owner)",
  blocker: (target) =>
    target.secret.startsWith("ghs_")
      ? "installation tokens (ghs_) are revoked with DELETE /installation/token, not here"
      : undefined,
  revoke: revokeCredentials,
};
