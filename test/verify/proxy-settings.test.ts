import { describe, expect, it } from "vitest";
import { proxyFor, readProxySettings } from "../../src/verify/proxy-settings.js";

// Which calls go through the proxy: read from an environment as curl reads it.

function proxied(env: Record<string, string>, url: string): string | undefined {
  const proxy = proxyFor(readProxySettings(env), new URL(url));
  return proxy && `${proxy.variable} ${proxy.url.host}`;
}

describe("proxyFor", () => {
  it("takes HTTPS_PROXY for https, HTTP_PROXY for http (and for https when alone), any case", () => {
    const both = { HTTPS_PROXY: "secure.corp:3128", http_proxy: "plain.corp:8080" };
    expect(proxied(both, "https://api.openai.com/v1/models")).toBe("HTTPS_PROXY secure.corp:3128");
    expect(proxied(both, "http://127.0.0.1:9/v1")).toBe("http_proxy plain.corp:8080");
    expect(proxied({ HTTP_PROXY: "plain.corp:8080" }, "https://api.x.ai/")).toBe(
      "HTTP_PROXY plain.corp:8080",
    );
    expect(proxied({}, "https://api.x.ai/")).toBeUndefined();
  });

  it("calls directly the hosts NO_PROXY names, with their subdomains and on their port", () => {
    const env = (noProxy: string) => ({ HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: noProxy });
    const direct = (noProxy: string, url: string) => proxied(env(noProxy), url) === undefined;
    expect(direct("*", "https://api.openai.com/")).toBe(true);
    expect(direct("openai.com", "https://api.openai.com/")).toBe(true);
    expect(direct(".openai.com", "https://openai.com/")).toBe(true);
    expect(direct("*.openai.com", "https://api.openai.com/")).toBe(true);
    expect(direct("localhost, api.openai.com:443", "https://api.openai.com/")).toBe(true);
    expect(direct("api.openai.com:8443", "https://api.openai.com/")).toBe(false);
    expect(direct("[::1]", "https://[::1]:8443/")).toBe(true);
    expect(direct("::1", "https://[::1]:8443/")).toBe(true);
    expect(direct("notopenai.com", "https://api.openai.com/")).toBe(false);
    expect(direct("penai.com", "https://api.openai.com/")).toBe(false);
  });
});
