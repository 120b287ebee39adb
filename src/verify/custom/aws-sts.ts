import { signAwsQuery } from "../sign-aws-v4.js";
import {
  unexpectedAnswer,
  type Verifier,
  type VerifyOutcome,
  type VerifyProbe,
} from "../verifier.js";

/**
 * AWS access key id + secret access key: a SigV4-signed STS GetCallerIdentity, which needs no
 * permission at all ("even if explicitly denied"), so any 200 proves the pair is live. The pair
 * comes from the finding and its companion, in either order.
 */

const KEY_ID = /^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;
const BODY = "Action=GetCallerIdentity&Version=2011-06-15";
const INVALID_CODES = new Map([
  ["InvalidClientTokenId", "the key id does not exist"],
  ["SignatureDoesNotMatch", "the secret does not belong to the key id"],
  ["ExpiredToken", "the credentials have expired"],
  ["AuthFailure", "the provider rejected the key"],
]);

/** The text of the first `<name>` element of an AWS query API's XML answer. */
export function xmlElement(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
}

export function awsKeyHalf(secret: string): "id" | "secret" {
  return KEY_ID.test(secret) ? "id" : "secret";
}

/** The access key id and secret access key among a finding's secret and its companion's. */
export function awsPairOf(
  ...values: readonly (string | undefined)[]
): { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined {
  const accessKeyId = values.find((value) => value !== undefined && KEY_ID.test(value));
  const secretAccessKey = values.find((value) => value !== undefined && value !== accessKeyId);
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

export function awsStsVerifier(now: () => Date = () => new Date()): Verifier {
  return {
    prepare(input, base): VerifyProbe | VerifyOutcome {
      const pair = awsPairOf(input.secret, input.companion?.secret);
      if (!pair) {
        return {
          status: "unsupported",
          detail: "needs both the access key id and its secret access key within a few lines",
        };
      }
      if (pair.accessKeyId.startsWith("ASIA")) {
        return { status: "unsupported", detail: "temporary keys (ASIA…) need their session token" };
      }
      const headers = signAwsQuery(base, "sts", BODY, pair, now());
      if (!headers) return { status: "unsupported", detail: "bad STS base URL" };
      return { method: "POST", path: "/", headers, body: BODY };
    },
    interpret(response): VerifyOutcome {
      const httpStatus = response.status;
      if (httpStatus === 200) {
        const arn = xmlElement(response.body, "Arn");
        if (arn) return { status: "live", httpStatus, detail: `GetCallerIdentity: ${arn}` };
        return { status: "unknown", httpStatus, detail: "200 without a caller identity" };
      }
      const code = xmlElement(response.body, "Code");
      const reason = code ? INVALID_CODES.get(code) : undefined;
      if ((httpStatus === 403 || httpStatus === 400) && reason) {
        return { status: "invalid", httpStatus, detail: `${reason} (${code})` };
      }
      if (code === "Throttling" || httpStatus === 429) {
        return {
          status: "rate-limited",
          httpStatus,
          detail: "throttled: probably live, not confirmed",
        };
      }
      return unexpectedAnswer(response);
    },
  };
}
