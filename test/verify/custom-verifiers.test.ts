import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { createHttpClient } from "../../src/verify/http-client.js";
import { signAwsV4 } from "../../src/verify/sign-aws-v4.js";
import { verifyFindings } from "../../src/verify/verify-findings.js";
import { standIn } from "../helpers/stand-in.js";
import { buildFinding, buildRule } from "./build-finding.js";

function run(
  ruleId: string,
  custom: string,
  service: string,
  base: string,
  findings: ReturnType<typeof buildFinding>[],
) {
  // The rules that found the companions are built-in ones too: a config's never pairs.
  const ids = new Set([
    ruleId,
    ...findings.flatMap((f) => (f.companion ? [f.companion.ruleId] : [])),
  ]);
  const rules = [...ids].map((id) => buildRule(id, { custom, service }));
  return verifyFindings(findings, {
    rules,
    builtinRules: rules,
    endpoints: new Map([[service, new URL(base)]]),
    trustConfig: false,
    http: createHttpClient({ userAgent: "keywarden-test" }),
    concurrency: 4,
    timeoutMs: 2000,
    ratePerHost: 1000,
  });
}

describe("signAwsV4", () => {
  it("matches the worked GET example of the S3 SigV4 documentation", () => {
    // The documentation's published example credentials, assembled here so the file holds no
    // key-shaped literal.
    const secretAccessKey = ["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYEXAMPLEKEY"].join("/");
    const headers = signAwsV4(
      {
        method: "GET",
        url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
        region: "us-east-1",
        service: "s3",
        body: "",
        headers: {
          range: "bytes=0-9",
          "x-amz-content-sha256":
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        },
        now: new Date("2013-05-24T00:00:00Z"),
      },
      { accessKeyId: "EXAMPLEID", secretAccessKey },
    );
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=EXAMPLEID/20130524/us-east-1/s3/aws4_request, " +
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
    expect(headers["x-amz-date"]).toBe("20130524T000000Z");
  });
});

describe("aws-sts", () => {
  const keyId = () => `AKIA${expandTemplate("{{base32:16}}")}`;
  const secret = () => expandTemplate("{{b64:40}}");

  it("signs GetCallerIdentity with the pair and reads the answer", async () => {
    const [liveId, liveSecret, badId, badSecret] = [keyId(), secret(), keyId(), secret()];
    const server = await standIn({
      routes: {
        "POST /": (request) =>
          request.headers.authorization?.includes(`Credential=${liveId}/`)
            ? {
                status: 200,
                body: "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:user/ci</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>",
              }
            : {
                status: 403,
                body: "<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>",
              },
      },
    });
    const findings = [
      // The secret finding carries the key id as companion, and the other way round.
      buildFinding({
        ruleId: "aws",
        secret: liveSecret,
        companion: { ruleId: "aws-id", secret: liveId, line: 1 },
      }),
      buildFinding({
        ruleId: "aws",
        secret: badId,
        companion: { ruleId: "aws-secret", secret: badSecret, line: 2 },
      }),
      buildFinding({ ruleId: "aws", secret: keyId(), path: "alone.env" }),
    ];
    const result = await run("aws", "aws-sts", "aws-sts", server.url, findings);

    expect(result.map((f) => f.verification?.status)).toEqual(["live", "invalid", "unsupported"]);
    expect(result[0]?.verification?.detail).toContain("arn:aws:iam::000000000000:user/ci");
    expect(result[1]?.verification?.detail).toContain("InvalidClientTokenId");
    expect(server.requests).toHaveLength(2);
    const sent = server.requests[0]!;
    expect(sent.body).toBe("Action=GetCallerIdentity&Version=2011-06-15");
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIA[A-Z2-7]{16}\/\d{8}\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    // The secret access key itself never travels.
    expect(JSON.stringify(server.requests)).not.toContain(liveSecret);
  });
});

describe("two-part keys", () => {
  it("pairs each half with the other half found nearby and checks the pair once", async () => {
    const keyId = `AKIA${expandTemplate("{{base32:16}}")}`;
    const secret = expandTemplate("{{b64:40}}");
    const sid = `SK${expandTemplate("{{hex:32}}")}`;
    const sidSecret = expandTemplate("{{alnum:32}}");
    const aws = await standIn({
      routes: {
        "POST /": {
          status: 200,
          body: "<GetCallerIdentityResponse><Arn>arn:aws:iam::000000000000:user/ci</Arn></GetCallerIdentityResponse>",
        },
      },
    });
    const twilio = await standIn({ routes: { "GET /v2/Services": { status: 200 } } });
    const idRule = buildRule("aws-id", { custom: "aws-sts", service: "aws" });
    const secretRule = buildRule("aws-secret", { custom: "aws-sts", service: "aws" });
    const sidRule = buildRule("tw-sid", { custom: "twilio-basic", service: "twilio" });
    const sidSecretRule = buildRule("tw-secret", { custom: "twilio-basic", service: "twilio" });
    const rules = [idRule, secretRule, sidRule, sidSecretRule];
    const findings = [
      // As the engine reports them: the secret carries the key id (its `requires`), the id nothing.
      buildFinding({ ruleId: "aws-id", secret: keyId, line: 3 }),
      buildFinding({
        ruleId: "aws-secret",
        secret,
        line: 4,
        companion: { ruleId: "aws-id", secret: keyId, line: 3 },
      }),
      buildFinding({ ruleId: "aws-id", secret: keyId, path: "other.env", line: 40 }),
      // Twilio rules require nothing: both halves are paired here.
      buildFinding({ ruleId: "tw-sid", secret: sid, line: 10 }),
      buildFinding({ ruleId: "tw-secret", secret: sidSecret, line: 11 }),
      // Too far away to be the partner.
      buildFinding({ ruleId: "tw-sid", secret: sid, line: 30 }),
    ];
    const result = await verifyFindings(findings, {
      rules,
      builtinRules: rules,
      endpoints: new Map([
        ["aws", new URL(aws.url)],
        ["twilio", new URL(twilio.url)],
      ]),
      trustConfig: false,
      http: createHttpClient({ userAgent: "keywarden-test" }),
      concurrency: 4,
      timeoutMs: 2000,
      ratePerHost: 1000,
    });
    expect(result.map((f) => f.verification?.status)).toEqual([
      "live",
      "live",
      "unsupported",
      "live",
      "live",
      "unsupported",
    ]);
    expect(result[2]?.verification?.detail).toMatch(/needs both the access key id and its secret/);
    expect(aws.requests).toHaveLength(1);
    expect(twilio.requests).toHaveLength(1);
    expect(twilio.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${sid}:${sidSecret}`).toString("base64")}`,
    );
  });
});

describe("slack-auth-test", () => {
  it("reads ok and error from a 200 answer", async () => {
    const token = (n: number) => `xoxb-${n}-${expandTemplate("{{alnum:24}}")}`;
    const [live, revoked, scoped, odd] = [token(1), token(2), token(3), token(4)];
    const server = await standIn({
      routes: {
        "POST /api/auth.test": (request) => {
          const auth = request.headers.authorization;
          if (auth === `Bearer ${live}`) return { body: { ok: true, team: "Acme" } };
          if (auth === `Bearer ${revoked}`) return { body: { ok: false, error: "token_revoked" } };
          if (auth === `Bearer ${scoped}`) return { body: { ok: false, error: "missing_scope" } };
          return { body: { ok: false, error: "something_new" } };
        },
      },
    });
    const result = await run(
      "slack",
      "slack-auth-test",
      "slack",
      server.url,
      [live, revoked, scoped, odd].map((secret) => buildFinding({ ruleId: "slack", secret })),
    );
    expect(result.map((f) => f.verification?.status)).toEqual([
      "live",
      "invalid",
      "live-restricted",
      "unknown",
    ]);
    expect(result[0]?.verification?.detail).toBe("auth.test ok (workspace Acme)");
  });
});

describe("twilio-basic", () => {
  it("sends the SID and secret as Basic credentials", async () => {
    const sid = `AC${expandTemplate("{{hex:32}}")}`;
    const token = expandTemplate("{{hex:32}}");
    const expected = `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`;
    const server = await standIn({
      routes: {
        "GET /v2/Services": (r) => ({ status: r.headers.authorization === expected ? 200 : 401 }),
      },
    });
    const result = await run("twilio", "twilio-basic", "twilio", server.url, [
      buildFinding({
        ruleId: "twilio",
        secret: token,
        companion: { ruleId: "twilio-sid", secret: sid, line: 1 },
      }),
      buildFinding({
        ruleId: "twilio",
        secret: sid,
        companion: { ruleId: "twilio-token", secret: "x".repeat(32), line: 1 },
      }),
    ]);
    expect(result.map((f) => f.verification?.status)).toEqual(["live", "invalid"]);
  });
});
