import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import type { ReportFinding } from "../../src/types.js";
import { awsStandIn, newAwsKeyPair } from "../helpers/aws-stand-in.js";
import { makeTempDir } from "../helpers/git-repo.js";
import { nobodyEnv, type RunCliOptions, runCli } from "../helpers/run-cli.js";
import { standIn } from "../helpers/stand-in.js";
import type { StandInServer } from "../helpers/stand-in-server.js";
import { type Keys, PROVIDER_CASES, type ProviderCase } from "./provider-cases.js";
import { readAudit } from "./revoke-fixtures.js";

/**
 * `keywarden revoke` as a user runs it: the built CLI as a child process, against stand-in
 * providers on 127.0.0.1 reached through --endpoint, on a directory of files holding keys built
 * at test time for the shipped rules.
 */

const byName = (name: string): ProviderCase => PROVIDER_CASES.find((c) => c.name === name)!;
const layer = byName("layer-keys");
const llmos = byName("llmos-token");
const openai = byName("openai-admin");
const github = byName("github-credentials-revoke");
const twilio = byName("twilio-keys");

interface Provider {
  readonly server: StandInServer;
  readonly alive: Set<string>;
}

async function provider(
  testCase: ProviderCase,
  keys: Keys,
  live: readonly string[],
): Promise<Provider> {
  const alive = new Set(live);
  return { server: await standIn({ routes: testCase.routes(keys, alive) }), alive };
}

/** A stand-in for a provider keywarden only verifies (revoked by hand): every key is live. */
async function modelsProvider(): Promise<StandInServer> {
  return standIn({ routes: { "GET /v1/models": { body: { object: "list", data: [] } } } });
}

async function setUp() {
  const dir = makeTempDir("keywarden-revoke-cli-");
  const keys = {
    layer: layer.keys(),
    deadLayer: layer.keys(),
    llmos: llmos.keys(),
    openai: openai.keys(),
    github: [github.keys(), github.keys()],
    llama: expandTemplate("LLM|{{digits:15}}|{{b64url:27}}"),
    together: `tgp_v1_${expandTemplate("{{b64url:43}}")}`,
  };
  const providers = {
    layer: await provider(layer, keys.layer, [keys.layer.secret]),
    llmos: await provider(llmos, keys.llmos, [keys.llmos.secret]),
    openai: await provider(openai, keys.openai, [keys.openai.secret]),
    github: await provider(
      github,
      keys.github[0]!,
      keys.github.map((k) => k.secret),
    ),
    llama: await modelsProvider(),
    together: await modelsProvider(),
  };
  writeFileSync(
    join(dir, "app.env"),
    [
      `LAYER_API_KEY=${keys.layer.secret}`,
      `OLD_LAYER_API_KEY=${keys.deadLayer.secret}`,
      `LLMOS_TOKEN=${keys.llmos.secret}`,
      `OPENAI_API_KEY=${keys.openai.secret}`,
      `GITHUB_TOKEN=${keys.github[0]!.secret}`,
      `GH_TOKEN=${keys.github[1]!.secret}`,
      `LLAMA_API_KEY=${keys.llama}`,
      `TOGETHER_API_KEY=${keys.together}`,
      "",
    ].join("\n"),
  );
  // The same GitHub token again elsewhere: still one key to revoke.
  writeFileSync(join(dir, "ci.yml"), `env:\n  GITHUB_TOKEN: ${keys.github[0]!.secret}\n`);
  const endpoints = [
    `layer=${providers.layer.server.url}`,
    `llmos=${providers.llmos.server.url}`,
    `openai=${providers.openai.server.url}`,
    `github=${providers.github.server.url}`,
    `meta-llama=${providers.llama.url}`,
    `together=${providers.together.url}`,
  ].flatMap((value) => ["--endpoint", value]);
  const env = { OPENAI_ADMIN_KEY: `admin-${expandTemplate("{{alnum:24}}")}` };
  const allSecrets = [
    keys.layer.secret,
    keys.deadLayer.secret,
    keys.llmos.secret,
    keys.openai.secret,
    ...keys.github.map((k) => k.secret),
    keys.llama,
    keys.together,
  ];
  const destructive = () => ({
    layer: providers.layer.server.requests.filter(layer.isDestructive),
    llmos: providers.llmos.server.requests.filter(llmos.isDestructive),
    openai: providers.openai.server.requests.filter(openai.isDestructive),
    github: providers.github.server.requests.filter(github.isDestructive),
  });
  const revoke = (args: string[]) => runCli(["revoke", ...args, ...endpoints], { cwd: dir, env });
  return { dir, keys, providers, env, allSecrets, destructive, revoke };
}

function findingsOf(stdout: string): ReportFinding[] {
  return (JSON.parse(stdout) as { findings: ReportFinding[] }).findings;
}

function statusBySecretStart(
  findings: readonly ReportFinding[],
  secret: string,
): string | undefined {
  return findings.find(
    (f) => secret.startsWith(f.secret.replace(/\*+$/, "")) && f.secret !== "REDACTED",
  )?.revocation?.status;
}

/** `keywarden revoke --yes` of a scan of `dir`, JSON out, with one provider's stand-in. */
function revokeNow(
  dir: string,
  endpoint: string,
  extra: readonly string[] = [],
  env?: RunCliOptions["env"],
) {
  return runCli(
    [
      "revoke",
      "--yes",
      "--format",
      "json",
      "--confirm-wait",
      "0",
      ...extra,
      "--endpoint",
      endpoint,
    ],
    { cwd: dir, ...(env ? { env } : {}) },
  );
}

describe("keywarden revoke (CLI)", () => {
  it("plans without acting by default, revokes each live key once with --yes, and never twice", async () => {
    const ctx = await setUp();
    const scan = await runCli(["scan", "--format", "json", "--output", "report.json"], {
      cwd: ctx.dir,
    });
    expect(scan.exitCode, scan.stderr).toBe(1);
    expect(findingsOf(readFileSync(join(ctx.dir, "report.json"), "utf8"))).toHaveLength(9);

    // 1. Dry run (stdin is not a terminal, no --yes): verification only, no destructive call.
    const dry = await ctx.revoke(["report.json"]);
    expect(dry.exitCode, dry.stderr).toBe(1);
    expect(Object.values(ctx.destructive()).flat()).toHaveLength(0);
    expect(dry.stderr).toContain(
      "Dry run: nothing was revoked. Run again with --yes to revoke 5 keys.",
    );
    // The plan says where the call goes: the stand-in, as --endpoint asks.
    expect(dry.stdout).toMatch(
      /revoke: planned: POST \/credentials\/revoke[^\n]*\(--endpoint: [a-z-]+ at http:\/\/127\.0\.0\.1:\d+\)/,
    );
    expect(dry.stdout).toMatch(
      /Still to do by hand:[\s\S]*Meta Llama API key[\s\S]*https:\/\/llama\.developer\.meta\.com\//,
    );
    // What --yes would do is not left to a person.
    const byHand = dry.stdout.slice(dry.stdout.indexOf("Still to do by hand:"));
    expect(byHand).not.toContain("POST /credentials/revoke");
    expect(dry.stdout).toContain("https://api.together.ai/settings/projects/~current/api-keys");

    // 2. --yes: exactly one revoke call per live key, each verified dead afterwards.
    const done = await ctx.revoke(["report.json", "--yes", "--format", "json"]);
    expect(done.exitCode, done.stderr).toBe(1); // Meta Llama and Together are left to a person
    const calls = ctx.destructive();
    expect(calls.layer).toHaveLength(1);
    expect(calls.llmos).toHaveLength(1);
    expect(calls.openai).toHaveLength(1);
    expect(calls.github).toHaveLength(1);
    layer.expectCall(calls.layer[0]!, ctx.keys.layer, ctx.env);
    llmos.expectCall(calls.llmos[0]!, ctx.keys.llmos, ctx.env);
    openai.expectCall(calls.openai[0]!, ctx.keys.openai, ctx.env);
    expect(calls.github[0]!.headers["user-agent"]).toContain("octokit");
    expect(
      (JSON.parse(calls.github[0]!.body) as { credentials: string[] }).credentials.sort(),
    ).toEqual(ctx.keys.github.map((k) => k.secret).sort());

    const findings = findingsOf(done.stdout);
    const status = (secret: string) => statusBySecretStart(findings, secret);
    for (const secret of [
      ctx.keys.layer.secret,
      ctx.keys.llmos.secret,
      ctx.keys.openai.secret,
      ...ctx.keys.github.map((k) => k.secret),
    ]) {
      expect(status(secret), secret.slice(0, 8)).toBe("revoked");
    }
    expect(
      findings
        .filter((f) => f.revocation?.status === "revoked")
        .every((f) => f.verification?.status === "invalid"),
    ).toBe(true);
    const dead = findings.find((f) => f.revocation?.status === "skipped");
    expect(dead?.verification?.status).toBe("invalid");
    expect(dead?.revocation?.detail).toContain("already rejects");
    const manual = findings.filter((f) => f.revocation?.status === "manual");
    expect(manual.map((f) => f.revocation?.url).sort()).toEqual([
      "https://api.together.ai/settings/projects/~current/api-keys",
      "https://llama.developer.meta.com/",
    ]);
    expect(done.stderr).toContain("5 keys revoked, 2 to revoke by hand.");

    // 3. Again: nothing destructive is sent a second time.
    const again = await ctx.revoke(["report.json", "--yes", "--format", "json"]);
    expect(again.exitCode).toBe(1);
    expect(Object.values(ctx.destructive()).flat()).toHaveLength(4);
    expect(findingsOf(again.stdout).filter((f) => f.revocation?.status === "revoked")).toHaveLength(
      6,
    );

    // 4. The audit log has every step and no secret.
    const logPath = join(ctx.dir, ".keywarden", "revocations.jsonl");
    const text = readFileSync(logPath, "utf8");
    for (const secret of [...ctx.allSecrets, ctx.env.OPENAI_ADMIN_KEY])
      expect(text).not.toContain(secret);
    const log = readAudit(logPath);
    expect(new Set(log.map((e) => e.mode))).toEqual(new Set(["dry-run", "executed"]));
    const executed = log.filter((e) => e.run === log.find((x) => x.mode === "executed")?.run);
    for (const step of [
      "verify-before",
      "plan",
      "request",
      "response",
      "verify-after",
      "outcome",
    ]) {
      expect(
        executed.some((e) => e.step === step),
        step,
      ).toBe(true);
    }
    expect(executed.filter((e) => e.step === "outcome" && e.outcome === "revoked")).toHaveLength(5);
    for (const entry of log) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining([
          "time",
          "rule",
          "provider",
          "fingerprint",
          "secret",
          "mechanism",
          "mode",
          "outcome",
        ]),
      );
    }
  });

  it("reports revoke-failed and exits 1 when the provider answers 500, and scans the directory without a report", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const keys = layer.keys();
    const alive = new Set([keys.secret]);
    const server = await standIn({
      routes: {
        ...layer.routes(keys, alive),
        "DELETE /v1/keys/key_1": { status: 500, body: { message: "internal error" } },
      },
    });
    writeFileSync(join(dir, "settings.py"), `LAYER_API_KEY = "${keys.secret}"\n`);
    const result = await revokeNow(dir, `layer=${server.url}`, ["--audit-log", "audit/log.jsonl"]);
    expect(result.exitCode, result.stderr).toBe(1);
    const [finding] = findingsOf(result.stdout);
    expect(finding?.revocation).toMatchObject({ status: "revoke-failed", httpStatus: 500 });
    expect(finding?.revocation?.detail).toContain("internal error");
    expect(finding?.verification?.status).toBe("live");
    expect(server.requestsTo("DELETE /v1/keys/key_1")).toHaveLength(1);
    expect(existsSync(join(dir, "audit", "log.jsonl"))).toBe(true);
    expect(existsSync(join(dir, ".keywarden"))).toBe(false);
  });

  it("pairs an AWS key id with its secret on the next line, deactivates the key, and confirms it", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const id = expandTemplate("AKIA{{chars:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:16}}");
    const secret = expandTemplate("{{b64:40}}");
    let active = true;
    const server = await standIn({
      routes: {
        "POST /": (request) => {
          const action = new URLSearchParams(request.body).get("Action");
          if (action === "UpdateAccessKey") {
            active = false;
            return { body: "<UpdateAccessKeyResponse/>" };
          }
          return active
            ? {
                body: "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/ci</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>",
              }
            : {
                status: 403,
                body: "<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>",
              };
        },
      },
    });
    // The credentials file's layout: no rule requires the other half, the two lines pair up.
    writeFileSync(
      join(dir, "credentials"),
      `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`,
    );
    const result = await revokeNow(dir, `aws=${server.url}`);
    expect(result.exitCode, result.stderr).toBe(0);
    const findings = findingsOf(result.stdout);
    expect(findings.map((f) => `${f.ruleId}:${f.revocation?.status}`).sort()).toEqual([
      "aws-access-key-id:revoked",
      "aws-secret-access-key:revoked",
    ]);
    const actions = server.requests.map((r) => new URLSearchParams(r.body).get("Action"));
    expect(actions.filter((action) => action === "UpdateAccessKey")).toHaveLength(1);
  });

  it("revokes each of two AWS keys with the other half it verified with", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const [one, two] = [newAwsKeyPair(), newAwsKeyPair()];
    const aws = await awsStandIn([one, two]);
    // Both ids, then both secrets: each secret lies nearer the other pair's id.
    writeFileSync(
      join(dir, "two.env"),
      [
        `AWS_ACCESS_KEY_ID=${one.id}`,
        `AWS_ACCESS_KEY_ID=${two.id}`,
        `AWS_SECRET_ACCESS_KEY=${one.secret}`,
        `AWS_SECRET_ACCESS_KEY=${two.secret}`,
        "",
      ].join("\n"),
    );
    const result = await revokeNow(dir, `aws=${aws.server.url}`);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(findingsOf(result.stdout).map((f) => `${f.line}:${f.revocation?.status}`)).toEqual([
      "1:revoked",
      "2:revoked",
      "3:revoked",
      "4:revoked",
    ]);
    expect([...aws.inactive].sort()).toEqual([one.id, two.id].sort());
    const updates = aws.calls.filter((call) => call.action === "UpdateAccessKey");
    expect(updates.map((call) => call.result)).toEqual(["OK", "OK"]);
  });

  it("deactivates a key two rules find (a .env and the console's CSV) with one call", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const pair = newAwsKeyPair();
    const aws = await awsStandIn([pair]);
    writeFileSync(
      join(dir, ".env"),
      `AWS_ACCESS_KEY_ID=${pair.id}\nAWS_SECRET_ACCESS_KEY=${pair.secret}\n`,
    );
    writeFileSync(
      join(dir, "accessKeys.csv"),
      `Access key ID,Secret access key\n${pair.id},${pair.secret}\n`,
    );
    const result = await revokeNow(dir, `aws=${aws.server.url}`);
    expect(result.exitCode, result.stderr).toBe(0);
    const findings = findingsOf(result.stdout);
    expect(findings.map((f) => `${f.ruleId}:${f.revocation?.status}`).sort()).toEqual([
      "aws-access-key-id:revoked",
      "aws-access-key-id:revoked",
      "aws-secret-access-key-csv:revoked",
      "aws-secret-access-key:revoked",
    ]);
    // A second UpdateAccessKey, signed by the key just made inactive, would fail.
    const updates = aws.calls.filter((call) => call.action === "UpdateAccessKey");
    expect(updates.map((call) => call.result)).toEqual(["OK"]);
    const csv = findings.find((f) => f.ruleId === "aws-secret-access-key-csv")!;
    expect(csv.revocation?.detail).toMatch(
      /^the same key as the AWS secret access key at \.env:2: /,
    );
  });

  it("deletes a Twilio API key once, for its SID and its secret alike", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const keys = twilio.keys();
    const env = twilio.env!(keys);
    const server = await standIn({ routes: twilio.routes(keys, new Set([keys.secret])) });
    writeFileSync(
      join(dir, "app.env"),
      `TWILIO_API_KEY=${keys.secret}\nTWILIO_API_SECRET=${keys.companion}\n`,
    );
    const result = await revokeNow(dir, `twilio=${server.url}`, [], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const findings = findingsOf(result.stdout);
    expect(findings.map((f) => `${f.ruleId}:${f.revocation?.status}`)).toEqual([
      "twilio-api-key-sid:revoked",
      "twilio-api-key-secret:revoked",
    ]);
    // Both halves' rules revoke; a second DELETE of the key just deleted would answer 404.
    expect(server.requests.filter(twilio.isDestructive)).toHaveLength(1);
    expect(findings[1]?.revocation?.detail).toMatch(
      /^the same key as the Twilio API key SID at app\.env:1: /,
    );
  });

  it("logs no key of a batch in full where the provider's answer quotes another one", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const [first, second] = [github.keys().secret, github.keys().secret];
    // One POST /credentials/revoke for both tokens; GitHub's 422 names a value it refused.
    const server = await standIn({
      routes: {
        "GET /user": { body: { login: "octo" } },
        "POST /credentials/revoke": {
          status: 422,
          body: {
            message: "Validation Failed",
            errors: [{ field: "credentials", code: "invalid", value: first }],
          },
        },
      },
    });
    writeFileSync(join(dir, "app.env"), `GITHUB_TOKEN=${first}\nGH_TOKEN=${second}\n`);
    const result = await revokeNow(dir, `github=${server.url}`);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(server.requests.filter((r) => r.path === "/credentials/revoke")).toHaveLength(1);
    const audit = readFileSync(join(dir, ".keywarden/revocations.jsonl"), "utf8");
    expect(audit).toContain("Validation Failed");
    for (const secret of [first, second]) {
      expect(audit).not.toContain(secret);
      expect(result.stdout).not.toContain(secret);
    }
  });

  it("never writes an admin credential a provider quotes back, not even with --no-redact", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const keys = openai.keys();
    const admin = `sk-admin-${expandTemplate("{{alnum:58}}")}`;
    // The management API rejects the admin key, quoting what it was sent, as OpenAI's does.
    const server = await standIn({
      routes: {
        "GET /v1/models": { body: { object: "list", data: [] } },
        "/v1/organization/*": (request) => ({
          status: 401,
          body: {
            error: { message: `Incorrect API key provided: ${request.headers.authorization}` },
          },
        }),
      },
    });
    writeFileSync(join(dir, "app.env"), `OPENAI_API_KEY=${keys.secret}\n`);
    const revoke = (...extra: string[]) =>
      runCli(
        ["revoke", "--yes", "--confirm-wait", "0", "--endpoint", `openai=${server.url}`, ...extra],
        { cwd: dir, env: { OPENAI_ADMIN_KEY: admin } },
      );
    const json = await revoke("--format", "json", "-o", "report.json");
    const text = await revoke("--no-redact");
    expect(json.exitCode, json.stderr).toBe(1);
    const [finding] = findingsOf(readFileSync(join(dir, "report.json"), "utf8"));
    expect(finding?.revocation?.status).toBe("revoke-failed");
    expect(finding?.revocation?.detail).toContain(
      "answered 401: Incorrect API key provided: Bearer [OPENAI_ADMIN_KEY]",
    );
    expect(text.stdout).toContain("Incorrect API key provided: Bearer [OPENAI_ADMIN_KEY]");
    const written = [
      json.stdout,
      json.stderr,
      text.stdout,
      text.stderr,
      readFileSync(join(dir, "report.json"), "utf8"),
      readFileSync(join(dir, ".keywarden", "revocations.jsonl"), "utf8"),
    ];
    for (const output of written) expect(output).not.toContain(admin.slice(9));
    expect(server.requests.some((r) => r.headers.authorization === `Bearer ${admin}`)).toBe(true);
  });

  it("without a report, names a folder its scan could not read and exits 2", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    mkdirSync(join(dir, "private"));
    writeFileSync(
      join(dir, "private", "a.env"),
      `GITHUB_TOKEN=${expandTemplate("ghp_{{alnum:36}}")}\n`,
    );
    const env = nobodyEnv(dir, 0o777);
    chmodSync(join(dir, "private"), 0);
    try {
      const result = await runCli(["revoke", "--dry-run"], { cwd: dir, env });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/skipped 1 file: unreadable\n {2}private \(EACCES/);
      expect(result.stderr).toContain("incomplete scan");
    } finally {
      chmodSync(join(dir, "private"), 0o755);
    }
  });

  it("rejects contradicting flags and plain-http endpoints off this machine with one line and exit 2", async () => {
    const dir = makeTempDir("keywarden-revoke-cli-");
    const both = await runCli(["revoke", "--yes", "--dry-run"], { cwd: dir });
    expect(both.exitCode).toBe(2);
    expect(both.stderr.split("\n")[0]).toBe(
      "keywarden: --yes and --dry-run contradict each other: pick one",
    );
    const remote = await runCli(["revoke", "--endpoint", "layer=http://example.com"], { cwd: dir });
    expect(remote.exitCode).toBe(2);
    expect(remote.stderr).toContain("plain http:// is only allowed to loopback addresses");
    expect(remote.stderr).not.toContain("    at ");
    const unknown = await runCli(["revoke", "--endpoint", "nosuch=https://example.com"], {
      cwd: dir,
    });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("--endpoint nosuch");
  });
});
