import { awsPairOf, xmlElement } from "../../verify/custom/aws-sts.js";
import type { HttpResponse } from "../../verify/http-client.js";
import { type AwsCredentials, signAwsQuery } from "../../verify/sign-aws-v4.js";
import {
  type Env,
  isSuccess,
  oneByOne,
  type RevokeAttempt,
  type RevokeContext,
  type Revoker,
  type RevokeTarget,
} from "../revoker.js";

/**
 * AWS access keys: IAM `UpdateAccessKey Status=Inactive`. First signed with the leaked pair
 * itself (without UserName IAM takes the user of the signing key, so a key allowed to manage
 * its own keys disables itself). When that is denied and the environment holds other
 * credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN]), those look up
 * the key's user (GetAccessKeyLastUsed) and disable it by user name.
 */

const IAM_VERSION = "2010-05-08";

type Pair = NonNullable<ReturnType<typeof awsPairOf>>;

function pairOf(target: RevokeTarget): Pair | undefined {
  return awsPairOf(target.secret, target.companion?.secret);
}

function adminOf(env: Env, pair: Pair): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey || accessKeyId === pair.accessKeyId) return undefined;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}

function describeAwsFailure(response: HttpResponse, action: string): string {
  const code = xmlElement(response.body, "Code");
  const message = xmlElement(response.body, "Message");
  return `${action} answered ${response.status}${code ? `: ${code}` : ""}${message ? ` (${message.slice(0, 160)})` : ""}`;
}

async function callIam(
  context: RevokeContext,
  params: Readonly<Record<string, string>>,
  credentials: AwsCredentials,
  destructive: boolean,
): Promise<HttpResponse> {
  const body = new URLSearchParams({ ...params, Version: IAM_VERSION }).toString();
  const headers = signAwsQuery(context.baseOf("aws")!, "iam", body, credentials, new Date())!;
  return context.send({ method: "POST", path: "/", headers, body, destructive });
}

async function revokeWithAdmin(
  context: RevokeContext,
  pair: Pair,
  admin: AwsCredentials,
  denied: string,
): Promise<RevokeAttempt> {
  const lookup = await callIam(
    context,
    { Action: "GetAccessKeyLastUsed", AccessKeyId: pair.accessKeyId },
    admin,
    false,
  );
  const userName = isSuccess(lookup.status) ? xmlElement(lookup.body, "UserName") : undefined;
  if (!userName) {
    return {
      accepted: false,
      httpStatus: lookup.status,
      detail: `${denied}; with the environment's credentials: ${describeAwsFailure(lookup, "GetAccessKeyLastUsed")}`,
      mechanism: "admin",
    };
  }
  const response = await callIam(
    context,
    {
      Action: "UpdateAccessKey",
      AccessKeyId: pair.accessKeyId,
      Status: "Inactive",
      UserName: userName,
    },
    admin,
    true,
  );
  if (isSuccess(response.status)) {
    return {
      accepted: true,
      httpStatus: response.status,
      detail: `key of IAM user ${userName} set Inactive with the environment's credentials`,
      mechanism: "admin",
    };
  }
  return {
    accepted: false,
    httpStatus: response.status,
    detail: describeAwsFailure(response, "UpdateAccessKey"),
    mechanism: "admin",
  };
}

export const awsIam: Revoker = {
  name: "aws-iam",
  mechanism: "self",
  service: "aws",
  bases: { aws: "https://iam.amazonaws.com" },
  credentialEnv: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"],
  describe: () =>
    "IAM UpdateAccessKey Status=Inactive signed with the leaked pair itself; if denied, with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from the environment",
  blocker: (target) => {
    const pair = pairOf(target);
    if (!pair)
      return "needs both the access key id and its secret access key (found within a few lines of each other)";
    if (pair.accessKeyId.startsWith("ASIA"))
      return "temporary keys (ASIA…) expire by themselves and need their session token to act";
    return undefined;
  },
  revoke: oneByOne(async (target, context) => {
    const pair = pairOf(target)!;
    const response = await callIam(
      context,
      { Action: "UpdateAccessKey", AccessKeyId: pair.accessKeyId, Status: "Inactive" },
      pair,
      true,
    );
    if (isSuccess(response.status)) {
      return {
        accepted: true,
        httpStatus: response.status,
        detail: "key set Inactive by itself (UpdateAccessKey)",
      };
    }
    const failure = describeAwsFailure(response, "UpdateAccessKey signed by the leaked key");
    const admin = adminOf(context.env, pair);
    if (response.status !== 403 || !admin) {
      const hint =
        response.status === 403
          ? "; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY of an IAM admin to disable it"
          : "";
      return { accepted: false, httpStatus: response.status, detail: `${failure}${hint}` };
    }
    return revokeWithAdmin(context, pair, admin, failure);
  }),
};
