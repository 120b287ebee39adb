import { describe, expect, it } from "vitest";
import { signAwsV4 } from "../../src/verify/sign-aws-v4.js";

// AWS access-key revocation (IAM UpdateAccessKey) is signed with the signer verification uses;
// this pins it to AWS's own published example so a signing slip cannot pass unnoticed.
describe("signAwsV4 for IAM", () => {
  it("reproduces AWS's published Signature Version 4 example (IAM ListUsers)", () => {
    const headers = signAwsV4(
      {
        method: "POST",
        url: new URL("http://iam.amazonaws.com/"),
        region: "us-east-1",
        service: "iam",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: "Action=ListUsers&Version=2010-05-08",
        now: new Date("2011-09-09T23:36:00Z"),
      },
      // The example pair from AWS's signing documentation.
      {
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: ["wJalrXUtnFEMI", "K7MDENG+bPxRfiCYEXAMPLEKEY"].join("/"),
      },
    );
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/iam/aws4_request, " +
        "SignedHeaders=content-type;host;x-amz-date, " +
        "Signature=ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c",
    );
    expect(headers["x-amz-date"]).toBe("20110909T233600Z");
  });
});
