import { expandTemplate } from "../../src/config/example-template.js";
import { signAwsQuery } from "../../src/verify/sign-aws-v4.js";
import { standIn } from "./stand-in.js";
import type { LoggedRequest, StandInServer } from "./stand-in-server.js";

/**
 * A stand-in for AWS STS and IAM that checks SigV4 signatures as AWS does: a key id it does not
 * know (or that was made inactive) is InvalidClientTokenId, a signature made with another secret
 * than the id's is SignatureDoesNotMatch. GetCallerIdentity answers the caller's ARN (user
 * `key-<n>` for the n-th pair given: a report redacts a key id), and UpdateAccessKey Status=Inactive, signed by the key itself, makes the
 * key inactive. The expected signature comes from keywarden's signer, itself checked against
 * AWS's documented example (custom-verifiers.test.ts).
 */

export interface AwsKeyPair {
  readonly id: string;
  readonly secret: string;
}

export function newAwsKeyPair(): AwsKeyPair {
  return {
    id: expandTemplate("AKIA{{chars:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:16}}"),
    secret: expandTemplate("{{b64:40}}"),
  };
}

export interface AwsStandIn {
  readonly server: StandInServer;
  /** Key ids made inactive by UpdateAccessKey. */
  readonly inactive: Set<string>;
  /** Each request's key id and what the stand-in made of its signature. */
  readonly calls: { readonly id: string; readonly action: string; readonly result: string }[];
}

function error(code: string) {
  return {
    status: 403,
    body: `<ErrorResponse><Error><Code>${code}</Code></Error></ErrorResponse>`,
  };
}

/** `20240102T030405Z` as a Date. */
function parseAmzDate(stamp: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stamp) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

export async function awsStandIn(pairs: readonly AwsKeyPair[]): Promise<AwsStandIn> {
  const secretOf = new Map(pairs.map((pair) => [pair.id, pair.secret]));
  const userOf = new Map(pairs.map((pair, index) => [pair.id, `key-${index}`]));
  const inactive = new Set<string>();
  const calls: AwsStandIn["calls"][number][] = [];
  let base = "";
  const answer = (request: LoggedRequest) => {
    const params = new URLSearchParams(request.body);
    const action = params.get("Action") ?? "";
    const [, id = "", service = ""] =
      /Credential=([A-Z0-9]+)\/\d{8}\/[a-z0-9-]+\/([a-z]+)\//.exec(
        request.headers.authorization ?? "",
      ) ?? [];
    const secret = secretOf.get(id);
    if (!secret || inactive.has(id)) {
      calls.push({ id, action, result: "InvalidClientTokenId" });
      return error("InvalidClientTokenId");
    }
    const expected = signAwsQuery(
      new URL(base),
      service,
      request.body,
      { accessKeyId: id, secretAccessKey: secret },
      parseAmzDate(request.headers["x-amz-date"] ?? ""),
    );
    if (expected?.authorization !== request.headers.authorization) {
      calls.push({ id, action, result: "SignatureDoesNotMatch" });
      return error("SignatureDoesNotMatch");
    }
    calls.push({ id, action, result: "OK" });
    if (action === "UpdateAccessKey" && params.get("Status") === "Inactive") {
      inactive.add(params.get("AccessKeyId") ?? "");
      return { body: "<UpdateAccessKeyResponse/>" };
    }
    return {
      body: `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/${userOf.get(id)}</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`,
    };
  };
  const server = await standIn({ routes: { "POST /": answer } });
  base = server.url;
  return { server, inactive, calls };
}
