import { createHash, createHmac } from "node:crypto";
import { joinBase } from "./endpoint-overrides.js";

/**
 * AWS Signature Version 4 for a single request (no query string, small body): enough for STS
 * GetCallerIdentity and the IAM key calls. Shared by verification and revocation.
 */

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsSignInput {
  readonly method: string;
  readonly url: URL;
  readonly region: string;
  readonly service: string;
  readonly body: string;
  /** Headers to sign and send besides host and x-amz-date (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  readonly now: Date;
}

function sha256Hex(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** `20240102T030405Z` */
function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Returns the headers to send (the input headers plus x-amz-date and authorization). */
export function signAwsV4(
  input: AwsSignInput,
  credentials: AwsCredentials,
): Record<string, string> {
  const stamp = amzDate(input.now);
  const day = stamp.slice(0, 8);
  const headers: Record<string, string> = {
    ...input.headers,
    host: input.url.host,
    "x-amz-date": stamp,
  };
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers[name]!.trim()}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    input.method,
    input.url.pathname || "/",
    input.url.search.slice(1),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body),
  ].join("\n");
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), input.region), input.service),
    "aws4_request",
  );
  const signature = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
  // `host` goes out from the URL itself; fetch does not let a caller set it.
  const { host: _host, ...send } = headers;
  return {
    ...send,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

const FORM = "application/x-www-form-urlencoded; charset=utf-8";

/**
 * The headers of a call to an AWS query API (STS, IAM): a form POST to the root of `base`,
 * signed for us-east-1, where both services' global endpoints live. Undefined when the root
 * would leave the base's origin.
 */
export function signAwsQuery(
  base: URL,
  service: string,
  body: string,
  credentials: AwsCredentials,
  now: Date,
): Record<string, string> | undefined {
  const url = joinBase(base, "/");
  if (!url) return undefined;
  return signAwsV4(
    {
      method: "POST",
      url,
      region: "us-east-1",
      service,
      body,
      headers: { "content-type": FORM },
      now,
    },
    credentials,
  );
}
