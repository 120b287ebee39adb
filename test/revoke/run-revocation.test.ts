import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileRule } from "../../src/config/compile-rules.js";
import { expandTemplate } from "../../src/config/example-template.js";
import { needsAttention } from "../../src/finding-status.js";
import { standIn } from "../helpers/stand-in.js";
import { PROVIDER_CASES } from "./provider-cases.js";
import {
  buildRevokeRule,
  findingFor,
  readAudit,
  revokeInProcess,
  tempDir,
} from "./revoke-fixtures.js";

const layer = PROVIDER_CASES.find((c) => c.name === "layer-keys")!;
const github = PROVIDER_CASES.find((c) => c.name === "github-credentials-revoke")!;
const openai = PROVIDER_CASES.find((c) => c.name === "openai-admin")!;

const metaLlama = buildRevokeRule({
  id: "meta-llama-api-key",
  verify: {
    service: "meta-llama",
    base: "https://api.llama.com",
    path: "/v1/models",
    headers: { Authorization: "Bearer {{secret}}" },
  },
  revoke: {
    mechanism: "manual",
    dashboard: "https://llama.developer.meta.com/",
    steps:
      "Open the API keys tab of the Llama API dashboard, delete the key, and create a new one.",
  },
});

function auditPath(): string {
  return join(tempDir(), "revocations.jsonl");
}

describe("runRevocation", () => {
  it("skips a key that already verifies invalid, without any revoke call", async () => {
    const keys = layer.keys();
    const server = await standIn({ routes: layer.routes(keys, new Set()) });
    const result = await revokeInProcess({
      findings: [findingFor(layer.rule, keys.secret)],
      rules: [layer.rule],
      endpoints: { layer: server.url },
      auditPath: auditPath(),
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/keys"]);
    expect(result.findings[0]?.revocation).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("already rejects"),
    });
    expect(needsAttention(result.findings[0]!)).toBe(false);
  });

  it("reports revoke-failed with the provider's reason when the revoke call gets a 500, key still live", async () => {
    const keys = layer.keys();
    const alive = new Set([keys.secret]);
    const server = await standIn({
      routes: {
        ...layer.routes(keys, alive),
        "DELETE /v1/keys/key_1": { status: 500, body: { error: { message: "database on fire" } } },
      },
    });
    const path = auditPath();
    const result = await revokeInProcess({
      findings: [findingFor(layer.rule, keys.secret)],
      rules: [layer.rule],
      endpoints: { layer: server.url },
      auditPath: path,
    });
    const finding = result.findings[0]!;
    expect(finding.revocation).toMatchObject({
      status: "revoke-failed",
      httpStatus: 500,
      url: "https://docs.uselayer.ai/platform/api-keys",
    });
    expect(finding.revocation?.detail).toContain("database on fire");
    expect(finding.verification?.status).toBe("live");
    expect(needsAttention(finding)).toBe(true);
    expect(readAudit(path).find((e) => e.step === "outcome")).toMatchObject({
      outcome: "revoke-failed",
      httpStatus: 500,
    });
  });

  it("records a request that got no answer, and a later run that finds the key dead calls it revoked without a new call", async () => {
    const keys = layer.keys();
    const alive = new Set([keys.secret]);
    const server = await standIn({
      routes: {
        ...layer.routes(keys, alive),
        // The provider acts, then the connection drops before the answer.
        "DELETE /v1/keys/key_1": () => {
          alive.delete(keys.secret);
          return { hangUp: true };
        },
      },
    });
    const path = auditPath();
    const setup = {
      findings: [findingFor(layer.rule, keys.secret)],
      rules: [layer.rule],
      endpoints: { layer: server.url },
      auditPath: path,
    };
    const first = await revokeInProcess(setup);
    // The follow-up verification already sees it dead.
    expect(first.findings[0]?.revocation?.status).toBe("revoked");
    const entries = readAudit(path);
    const request = entries.find((e) => e.step === "request" && e.destructive === true);
    expect(request).toMatchObject({ method: "DELETE", outcome: "sending" });
    expect(entries.find((e) => e.step === "response" && e.outcome === "no-answer")).toBeDefined();

    const deletes = () => server.requestsTo("DELETE /v1/keys/key_1").length;
    await revokeInProcess(setup);
    expect(deletes()).toBe(1);
  });

  it("after a crash between call and outcome, the next run sees the key dead and records it revoked", async () => {
    const keys = layer.keys();
    const server = await standIn({ routes: layer.routes(keys, new Set()) });
    const path = auditPath();
    const finding = findingFor(layer.rule, keys.secret);
    // What a run that died right after sending would have left behind.
    appendFileSync(
      path,
      `${JSON.stringify({ time: "2026-01-01T00:00:00.000Z", run: "r1", mode: "executed", step: "request", rule: layer.rule.id, provider: "layer", fingerprint: finding.fingerprint, secret: "layer_***", mechanism: "self", method: "DELETE", destructive: true, outcome: "sending" })}\n{"torn`,
    );
    const result = await revokeInProcess({
      findings: [finding],
      rules: [layer.rule],
      endpoints: { layer: server.url },
      auditPath: path,
    });
    expect(result.findings[0]?.revocation).toMatchObject({
      status: "revoked",
      detail: expect.stringContaining("2026-01-01"),
    });
    expect(server.requestsTo("DELETE /v1/keys/key_1")).toHaveLength(0);
    expect(readAudit(path, ['{"torn']).at(-1)).toMatchObject({ step: "plan", outcome: "revoked" });
  });

  it("gives Meta Llama API keys a manual plan naming the dashboard", async () => {
    const secret = expandTemplate("LLM|{{digits:15}}|{{b64url:27}}");
    const server = await standIn({ routes: { "GET /v1/models": { body: { data: [] } } } });
    const result = await revokeInProcess({
      findings: [findingFor(metaLlama, secret)],
      rules: [metaLlama],
      endpoints: { "meta-llama": server.url },
      auditPath: auditPath(),
    });
    expect(result.findings[0]?.revocation).toEqual({
      status: "manual",
      mechanism: "manual",
      detail:
        "Open the API keys tab of the Llama API dashboard, delete the key, and create a new one.",
      url: "https://llama.developer.meta.com/",
    });
  });

  it("turns an admin revoker without its credential into a manual item that says which variable to set", async () => {
    const keys = openai.keys();
    const server = await standIn({ routes: openai.routes(keys, new Set([keys.secret])) });
    const result = await revokeInProcess({
      findings: [findingFor(openai.rule, keys.secret)],
      rules: [openai.rule],
      endpoints: { openai: server.url },
      auditPath: auditPath(),
      env: {},
    });
    expect(result.findings[0]?.revocation).toMatchObject({
      status: "manual",
      url: "https://platform.openai.com/api-keys",
      detail: expect.stringContaining("OPENAI_ADMIN_KEY"),
    });
    expect(server.requests.filter((r) => r.path.startsWith("/v1/organization"))).toHaveLength(0);
  });

  it("revokes many GitHub tokens in one POST /credentials/revoke, each key once", async () => {
    const tokens = [github.keys(), github.keys(), github.keys()];
    const alive = new Set(tokens.map((t) => t.secret));
    const server = await standIn({ routes: github.routes(tokens[0]!, alive) });
    const findings = [
      ...tokens.map((t) => findingFor(github.rule, t.secret)),
      findingFor(github.rule, tokens[0]!.secret, { path: "other.env", line: 9 }),
    ];
    const result = await revokeInProcess({
      findings,
      rules: [github.rule],
      endpoints: { github: server.url },
      auditPath: auditPath(),
    });
    const calls = server.requestsTo("POST /credentials/revoke");
    expect(calls).toHaveLength(1);
    expect((JSON.parse(calls[0]!.body) as { credentials: string[] }).credentials.sort()).toEqual(
      tokens.map((t) => t.secret).sort(),
    );
    expect(result.findings.map((f) => f.revocation?.status)).toEqual([
      "revoked",
      "revoked",
      "revoked",
      "revoked",
    ]);
    // One probe per unique key before, one after.
    expect(server.requestsTo("GET /user")).toHaveLength(6);
  });

  it("asks per key in interactive mode and leaves declined keys alone", async () => {
    const [yes, no] = [layer.keys(), layer.keys()];
    const alive = new Set([yes.secret, no.secret]);
    const server = await standIn({
      routes: {
        "GET /v1/keys": (r) =>
          alive.has((r.headers.authorization ?? "").slice(7))
            ? {
                body: {
                  keys: [
                    { id: "a", keyPrefix: yes.secret.slice(0, 12) },
                    { id: "b", keyPrefix: no.secret.slice(0, 12) },
                  ],
                },
              }
            : { status: 401 },
        "DELETE /v1/keys/a": () => (alive.delete(yes.secret) ? { status: 204 } : { status: 404 }),
        "DELETE /v1/keys/b": () => (alive.delete(no.secret) ? { status: 204 } : { status: 404 }),
      },
    });
    const asked: string[] = [];
    const result = await revokeInProcess({
      findings: [findingFor(layer.rule, yes.secret), findingFor(layer.rule, no.secret)],
      rules: [layer.rule],
      endpoints: { layer: server.url },
      auditPath: auditPath(),
      mode: "interactive",
      confirm: async (target, plan) => {
        asked.push(plan);
        return target.secret === yes.secret;
      },
    });
    expect(asked).toHaveLength(2);
    expect(result.findings.map((f) => f.revocation?.status)).toEqual(["revoked", "skipped"]);
    expect(result.findings[1]?.revocation?.detail).toBe("declined at the prompt");
    expect(server.requestsTo("DELETE /v1/keys/b")).toHaveLength(0);
  });

  it("does not call a key revoked while it still verifies live after the provider accepted", async () => {
    const keys = layer.keys();
    const server = await standIn({
      routes: {
        ...layer.routes(keys, new Set([keys.secret])),
        "DELETE /v1/keys/key_1": { status: 204 },
      },
    });
    const result = await revokeInProcess({
      findings: [findingFor(layer.rule, keys.secret)],
      rules: [layer.rule],
      endpoints: { layer: server.url },
      auditPath: auditPath(),
      confirmWaitMs: 300,
    });
    expect(result.findings[0]?.revocation).toMatchObject({
      status: "revoke-failed",
      detail: expect.stringContaining("still verifies live"),
    });
    // The first check after the call, then at least one more within the wait.
    expect(server.requestsTo("GET /v1/keys").length).toBeGreaterThanOrEqual(4);
  });

  it("skips keys that could not be verified unless forced", async () => {
    const keys = layer.keys();
    const alive = new Set([keys.secret]);
    const server = await standIn({
      routes: { ...layer.routes(keys, alive), "GET /v1/keys": { status: 502 } },
    });
    const setup = {
      findings: [findingFor(layer.rule, keys.secret)],
      rules: [layer.rule],
      endpoints: { layer: server.url },
      auditPath: auditPath(),
    };
    const skipped = await revokeInProcess(setup);
    expect(skipped.findings[0]?.revocation).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining("--force"),
    });
    expect(server.requests.filter((r) => r.method === "DELETE")).toHaveLength(0);

    // Forced, the lookup still fails (the listing is down), so nothing is deleted: failed, not revoked.
    const forced = await revokeInProcess({ ...setup, force: true });
    expect(forced.findings[0]?.revocation?.status).toBe("revoke-failed");
  });

  it("counts the key id of an AWS pair revoked once the pair is, without a call of its own", async () => {
    const aws = PROVIDER_CASES.find((c) => c.name === "aws-iam")!;
    const keyIdRule = buildRevokeRule({
      id: "aws-access-key-id",
      revoke: {
        mechanism: "manual",
        dashboard: "https://console.aws.amazon.com/iam/home#/security_credentials",
      },
    });
    const keys = aws.keys();
    const server = await standIn({ routes: aws.routes(keys, new Set([keys.secret])) });
    const result = await revokeInProcess({
      findings: [
        findingFor(keyIdRule, keys.secret),
        findingFor(aws.rule, keys.companion!, {
          companion: { ruleId: keyIdRule.id, secret: keys.secret, line: 3 },
        }),
      ],
      rules: [keyIdRule, aws.rule],
      endpoints: { aws: server.url },
      auditPath: auditPath(),
    });
    expect(result.findings.map((f) => f.revocation?.status)).toEqual(["revoked", "revoked"]);
    expect(result.findings[0]?.revocation?.detail).toContain("together with its pair");
    expect(server.requests.filter(aws.isDestructive)).toHaveLength(1);
  });

  it("lets a rule from a repository's config name a revoker only with --trust-config", async () => {
    const keys = layer.keys();
    const alive = new Set([keys.secret]);
    const server = await standIn({ routes: layer.routes(keys, alive) });
    const fromConfig = compileRule(layer.rule.raw, { file: ".keywarden.yaml", builtin: false });
    const setup = {
      findings: [findingFor(fromConfig, keys.secret)],
      rules: [fromConfig],
      builtinRules: [],
      endpoints: { layer: server.url },
      auditPath: auditPath(),
    };
    const untrusted = await revokeInProcess(setup);
    expect(untrusted.findings[0]?.revocation).toMatchObject({
      status: "manual",
      detail: expect.stringContaining("needs --trust-config"),
    });
    expect(server.requests).toHaveLength(0);

    const trusted = await revokeInProcess({ ...setup, trustConfig: true });
    expect(trusted.findings[0]?.revocation?.status).toBe("revoked");
  });

  it("keeps a token a management API handed out, and the environment's credentials, out of what it writes", async () => {
    const pinecone = PROVIDER_CASES.find((c) => c.name === "pinecone-admin")!;
    const keys = pinecone.keys();
    const env = pinecone.env!(keys);
    const token = `sa-${expandTemplate("{{alnum:40}}")}`;
    const server = await standIn({
      routes: {
        ...pinecone.routes(keys, new Set([keys.secret])),
        "POST /oauth/token": { body: { access_token: token, token_type: "Bearer" } },
        // Quoting the token it was sent, and the client secret it was made from.
        "DELETE /admin/api-keys/k-leak": (request) => ({
          status: 403,
          body: {
            message: `${request.headers.authorization} (client ${env.PINECONE_CLIENT_SECRET}) may not delete keys`,
          },
        }),
      },
    });
    const path = auditPath();
    const result = await revokeInProcess({
      findings: [findingFor(pinecone.rule, keys.secret)],
      rules: [pinecone.rule],
      endpoints: { pinecone: server.url, "pinecone-login": server.url },
      env,
      auditPath: path,
    });
    expect(result.findings[0]?.revocation?.detail).toContain(
      "answered 403: [credential] (client [PINECONE_CLIENT_SECRET]) may not delete keys",
    );
    const audit = readFileSync(path, "utf8");
    expect(audit).toContain("outcome");
    for (const written of [JSON.stringify(result.findings), audit]) {
      expect(written).not.toContain(token);
      expect(written).not.toContain(env.PINECONE_CLIENT_SECRET);
    }
  });

  it("marks findings whose rule is not in the run as skipped", async () => {
    const other = buildRevokeRule({ id: "other-rule" });
    const result = await revokeInProcess({
      findings: [findingFor(other, expandTemplate("{{alnum:30}}"))],
      rules: [],
      endpoints: {},
      auditPath: auditPath(),
    });
    expect(result.findings[0]?.revocation?.status).toBe("skipped");
  });
});
