import { notJsonAnswer, unexpectedAnswer, type Verifier, type VerifyOutcome } from "../verifier.js";

/**
 * Twilio: HTTP Basic with an SID (Account `AC…` or API key `SK…`) as user and the auth token or
 * key secret as password, against a read-only list. The pair comes from the finding and its
 * companion, in either order; a declaration cannot build the base64 of the two.
 */

const SID = /^(?:AC|SK)[a-f0-9]{32}$/;

export function twilioKeyHalf(secret: string): "id" | "secret" {
  return SID.test(secret) ? "id" : "secret";
}

export function twilioBasicVerifier(): Verifier {
  return {
    prepare(input) {
      const pair = [input.secret, input.companion?.secret];
      const sid = pair.find((value) => value !== undefined && SID.test(value));
      const secret = pair.find((value) => value !== undefined && value !== sid);
      if (!sid || !secret) {
        return {
          status: "unsupported",
          detail: "needs both the SID and its secret within a few lines",
        };
      }
      const credentials = Buffer.from(`${sid}:${secret}`, "utf8").toString("base64");
      return {
        method: "GET",
        path: "/v2/Services",
        headers: { authorization: `Basic ${credentials}` },
      };
    },
    interpret(response): VerifyOutcome {
      const httpStatus = response.status;
      if (httpStatus === 200) {
        return (
          notJsonAnswer(response) ?? {
            status: "live",
            httpStatus,
            detail: "the provider accepted the key (200)",
          }
        );
      }
      if (httpStatus === 401 || httpStatus === 403) {
        return {
          status: "invalid",
          httpStatus,
          detail: `the provider rejected the key (${httpStatus})`,
        };
      }
      if (httpStatus === 429) {
        return {
          status: "rate-limited",
          httpStatus,
          detail: "rate limited: probably live, not confirmed",
        };
      }
      return unexpectedAnswer(response);
    },
  };
}
