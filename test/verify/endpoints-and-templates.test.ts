import { describe, expect, it } from "vitest";
import { verifySpecSchema } from "../../src/config/rule-schema.js";
import { UsageError } from "../../src/errors.js";
import { classifyResponse, declarativeVerifier } from "../../src/verify/declarative-verifier.js";
import {
  endpointEnvName,
  joinBase,
  parseEndpointOverrides,
} from "../../src/verify/endpoint-overrides.js";
import { fillTemplate } from "../../src/verify/fill-template.js";
import { parseRetryAfter } from "../../src/verify/limiters.js";
import { isLoopbackHost, unsendableReason } from "../../src/verify/url-policy.js";

describe("endpoint overrides", () => {
  it("reads --endpoint values and KEYWARDEN_ENDPOINT_* variables; flags win", () => {
    const overrides = parseEndpointOverrides(
      ["meta-llama=http://127.0.0.1:9000", "LLMOS=https://gw.example:8443/"],
      {
        KEYWARDEN_ENDPOINT_META_LLAMA: "https://proxy.example",
        KEYWARDEN_ENDPOINT_TOGETHER: "https://together.example/base",
        PATH: "/usr/bin",
      },
    );
    expect(overrides.get("meta-llama")?.href).toBe("http://127.0.0.1:9000/");
    expect(overrides.get("llmos")?.href).toBe("https://gw.example:8443/");
    expect(overrides.get("together")?.href).toBe("https://together.example/base");
    expect(endpointEnvName("meta-llama")).toBe("KEYWARDEN_ENDPOINT_META_LLAMA");
  });

  it.each([
    ["llmos", /expected NAME=URL/],
    ["llmos=not a url", /is not a URL/],
    ["llmos=http://gw.example", /plain http:\/\/ is only allowed to loopback/],
    ["llmos=ftp://127.0.0.1", /unsupported scheme ftp:/],
    ["llmos=https://gw.example/?x=1", /no query/],
    ["llm os=https://gw.example", /not a service name/],
  ])("rejects --endpoint %s", (flag, message) => {
    expect(() => parseEndpointOverrides([flag], {})).toThrow(UsageError);
    expect(() => parseEndpointOverrides([flag], {})).toThrow(message);
  });

  it("names the variable at fault", () => {
    expect(() =>
      parseEndpointOverrides([], { KEYWARDEN_ENDPOINT_LAYER: "http://10.0.0.1" }),
    ).toThrow(/^KEYWARDEN_ENDPOINT_LAYER: plain http/);
  });

  it("allows plain http only to loopback", () => {
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("127.8.9.10")).toBe(true);
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("127.0.0.1.evil.example")).toBe(false);
    expect(unsendableReason(new URL("http://0x7f.1"))).toBeUndefined(); // parsed as 127.0.0.1
    expect(unsendableReason(new URL("http://10.1.2.3"))).toMatch(/loopback/);
    expect(unsendableReason(new URL("https://api.example"))).toBeUndefined();
  });

  it("joins base prefixes and paths without ever leaving the base's origin", () => {
    expect(joinBase(new URL("https://api.groq.com/openai"), "/v1/models")?.href).toBe(
      "https://api.groq.com/openai/v1/models",
    );
    expect(joinBase(new URL("https://api.example/"), "/v1/x?y=1")?.href).toBe(
      "https://api.example/v1/x?y=1",
    );
    expect(joinBase(new URL("https://api.example"), "//evil.example/x")?.host).toBe("api.example");
    expect(joinBase(new URL("https://api.example"), "@evil.example/x")).toBeUndefined();
  });
});

describe("verify templates", () => {
  const values = { secret: "a/b c:d@e?#&", id: "42" };

  it("encodes per place", () => {
    expect(fillTemplate("/bot{{secret}}/getMe", values, "path")).toBe(
      "/bota%2Fb%20c:d@e%3F%23%26/getMe",
    );
    expect(fillTemplate('{"k":"{{secret}}"}', { secret: 'q"\\' }, "json")).toBe('{"k":"q\\"\\\\"}');
    expect(fillTemplate("Bearer {{secret}}", values, "header")).toBe("Bearer a/b c:d@e?#&");
    expect(() => fillTemplate("Bearer {{secret}}", { secret: "a\r\nX-Evil: 1" }, "header")).toThrow(
      /line break/,
    );
    expect(() => fillTemplate("/u/{{user}}", values, "path")).toThrow(/no "user"/);
  });

  it("builds a probe with groups, form bodies and JSON bodies", () => {
    const form = declarativeVerifier(
      verifySpecSchema.parse({
        service: "x",
        base: "https://x.example",
        method: "POST",
        path: "/keys/{{id}}",
        form: { credentials: "{{secret}}" },
      }),
    ).prepare({ ruleId: "x", secret: "s&=1", groups: { id: "7" } }, new URL("https://x.example"));
    expect(form).toEqual({
      method: "POST",
      path: "/keys/7",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "credentials=s%26%3D1",
    });
    const missing = declarativeVerifier(
      verifySpecSchema.parse({ service: "x", path: "/keys/{{id}}" }),
    ).prepare({ ruleId: "x", secret: "s", groups: {} }, new URL("https://x.example"));
    expect(missing).toMatchObject({ status: "unsupported" });
  });
});

describe("classifyResponse", () => {
  const response = (status: number, body: unknown) => ({
    status,
    headers: {},
    body: typeof body === "string" ? body : JSON.stringify(body),
    url: new URL("https://x.example/"),
  });
  const spec = verifySpecSchema.parse({
    service: "x",
    path: "/check",
    live: [],
    invalid: [401],
    bodyRules: [
      { status: 200, field: "valid", equals: true, result: "live" },
      { status: 200, field: "valid", equals: false, result: "invalid" },
      { field: "error.code", contains: "quota", result: "rate-limited" },
    ],
  });

  it("checks body rules first, then the status lists", () => {
    expect(classifyResponse(spec, response(200, { valid: true })).status).toBe("live");
    expect(classifyResponse(spec, response(200, { valid: false })).status).toBe("invalid");
    expect(classifyResponse(spec, response(403, { error: { code: "over_quota" } })).status).toBe(
      "rate-limited",
    );
    expect(classifyResponse(spec, response(401, "nope")).status).toBe("invalid");
    // 200 without the proving field is not live.
    expect(classifyResponse(spec, response(200, { other: 1 })).status).toBe("unknown");
    expect(classifyResponse(spec, response(200, "<html>")).status).toBe("unknown");
    expect(classifyResponse(spec, response(502, "")).detail).toBe("provider error (502)");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
