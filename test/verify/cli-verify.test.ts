import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { expandExample, expandTemplate } from "../../src/config/example-template.js";
import { readBuiltinRuleSources } from "../../src/config/read-rule-files.js";
import type { VerifySpec } from "../../src/config/rule-schema.js";
import type { ReportFinding } from "../../src/types.js";
import { type AwsKeyPair, awsStandIn, newAwsKeyPair } from "../helpers/aws-stand-in.js";
import { mainOutput, readCliMetafile, staticClosure } from "../helpers/cli-bundle.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { standIn } from "../helpers/stand-in.js";
import type { StandInServer } from "../helpers/stand-in-server.js";

// The verification stage through the built CLI, against stand-in providers on 127.0.0.1.

interface JsonReport {
  findings: ReportFinding[];
}

const RULES = readBuiltinRuleSources().map((source) => source.raw);

/** A line holding a fresh key for `ruleId`, from the rule's own first marked example. */
function sample(ruleId: string): { text: string; secret: string } {
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no built-in rule ${ruleId}`);
  for (const example of rule.examples.match) {
    const { text, markedSecret } = expandExample(
      typeof example === "string" ? example : example.text,
    );
    if (markedSecret) return { text, secret: markedSecret };
  }
  throw new Error(`rule ${ruleId} has no example with a [[marked]] secret`);
}

function declarativeSpec(ruleId: string): VerifySpec {
  const verify = RULES.find((r) => r.id === ruleId)?.verify;
  if (!verify || "custom" in verify)
    throw new Error(`rule ${ruleId} has no declarative verify block`);
  return verify;
}

/** A stand-in for the provider of `ruleId`: its verify route answers 200 to `live`, 401 else. */
async function provider(ruleId: string, live: readonly string[]): Promise<StandInServer> {
  const spec = declarativeSpec(ruleId);
  return standIn({
    routes: {
      [`${spec.method} ${spec.path}`]: (request) => {
        const auth = request.headers.authorization ?? "";
        return live.some((key) => auth === `Bearer ${key}`)
          ? { status: 200, body: { data: [] } }
          : { status: 401 };
      },
    },
  });
}

async function scanJson(dir: string, args: string[], env: Record<string, string> = {}) {
  const result = await runCli(["scan", ".", "--format", "json", ...args], { cwd: dir, env });
  const report = result.stdout ? (JSON.parse(result.stdout) as JsonReport) : { findings: [] };
  return { ...result, report };
}

function statusByLine(report: JsonReport, file: string): string[] {
  return report.findings
    .filter((f) => f.path === file)
    .map((f) => `${f.line}:${f.verification?.status}`);
}

/** Most arrivals within any 1000 ms window. */
function maxInAnySecond(times: readonly number[]): number {
  return Math.max(
    ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length),
  );
}

/** `history` of a repository saved as JSON, then `verify` of that report against `url`. */
async function historyVerified(dir: string, url: string): Promise<JsonReport> {
  const history = await runCli(["history", "--format", "json", "--output", "history.json"], {
    cwd: dir,
  });
  expect(history.exitCode).toBe(1);
  const verified = await runCli(
    ["verify", "history.json", "--format", "json", "--endpoint", `meta-llama=${url}`],
    { cwd: dir },
  );
  expect(verified.stderr).toBe("");
  return JSON.parse(verified.stdout) as JsonReport;
}

describe("--verify with the seed providers", () => {
  it.each([
    ["meta-llama-api-key", "meta-llama"],
    ["together-api-key", "together"],
    ["llmos-api-key", "llmos"],
    ["layer-api-key", "layer"],
  ])(
    "%s shows live and invalid against its stand-in (--endpoint %s=...)",
    async (ruleId, service) => {
      const live = sample(ruleId);
      const dead = sample(ruleId);
      const server = await provider(ruleId, [live.secret]);
      const dir = makeTempDir();
      writeFileSync(join(dir, "keys.txt"), `${live.text}\n${dead.text}\n`);

      const { exitCode, stderr, stdout, report } = await scanJson(dir, [
        "--verify",
        "--endpoint",
        `${service}=${server.url}`,
      ]);

      expect(stderr).toBe("");
      expect(exitCode).toBe(1);
      expect(statusByLine(report, "keys.txt")).toEqual(["1:live", "2:invalid"]);
      expect(report.findings[0]?.verification).toMatchObject({ httpStatus: 200 });
      expect(report.findings[1]?.verification).toMatchObject({ httpStatus: 401 });
      const spec = declarativeSpec(ruleId);
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `${spec.method} ${spec.path}`,
        `${spec.method} ${spec.path}`,
      ]);
      // Reports never carry the secret unredacted.
      expect(stdout).not.toContain(live.secret);
    },
  );

  it("says how to give LLMOS its self-hosted base, and takes it from the environment", async () => {
    const key = sample("llmos-api-key");
    const dir = makeTempDir();
    writeFileSync(join(dir, "llmos.env"), `${key.text}\n`);

    const without = await scanJson(dir, ["--verify"]);
    expect(without.report.findings[0]?.verification).toMatchObject({ status: "unsupported" });
    expect(without.report.findings[0]?.verification?.detail).toMatch(
      /--endpoint llmos=https:\/\/host:port or KEYWARDEN_ENDPOINT_LLMOS/,
    );

    const server = await provider("llmos-api-key", [key.secret]);
    const withEnv = await scanJson(dir, ["--verify"], { KEYWARDEN_ENDPOINT_LLMOS: server.url });
    expect(withEnv.report.findings[0]?.verification?.status).toBe("live");
    expect(server.requests).toHaveLength(1);
  });
});

describe("--verify with code verifiers", () => {
  it("checks AWS and Twilio pairs once for both halves, and reads Slack's auth.test body", async () => {
    const awsId = sample("aws-access-key-id");
    const awsSecret = expandTemplate("{{b64:40}}");
    const sid = sample("twilio-api-key-sid");
    const sidSecret = sample("twilio-api-key-secret");
    const slackLive = sample("slack-bot-token");
    const slackDead = sample("slack-bot-token");
    const aws = await standIn({
      routes: {
        "POST /": {
          status: 200,
          body: "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:user/ci</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>",
        },
      },
    });
    const twilio = await standIn({
      routes: { "GET /v2/Services": { status: 200, body: {} } },
    });
    const slack = await standIn({
      routes: {
        "POST /api/auth.test": (request) =>
          request.headers.authorization === `Bearer ${slackLive.secret}`
            ? { body: { ok: true, team: "Acme" } }
            : { body: { ok: false, error: "invalid_auth" } },
      },
    });
    const dir = makeTempDir();
    writeFileSync(
      join(dir, "prod.env"),
      [
        awsId.text,
        `AWS_SECRET_ACCESS_KEY=${awsSecret}`,
        "",
        sid.text,
        sidSecret.text,
        "",
        slackLive.text,
        slackDead.text,
      ].join("\n"),
    );

    const { report, stderr } = await scanJson(dir, [
      "--verify",
      ...[
        "--endpoint",
        `aws=${aws.url}`,
        "--endpoint",
        `twilio=${twilio.url}`,
        "--endpoint",
        `slack=${slack.url}`,
      ],
    ]);
    expect(stderr).toBe("");
    const byLine = [...report.findings].sort((a, b) => a.line - b.line);
    expect(byLine.map((f) => `${f.ruleId}:${f.verification?.status}`)).toEqual([
      "aws-access-key-id:live",
      "aws-secret-access-key:live",
      "twilio-api-key-sid:live",
      "twilio-api-key-secret:live",
      "slack-bot-token:live",
      "slack-bot-token:invalid",
    ]);
    expect(byLine[0]?.verification?.detail).toContain("arn:aws:iam::000000000000:user/ci");
    expect(aws.requests).toHaveLength(1);
    expect(aws.requests[0]?.headers.authorization).toContain(`Credential=${awsId.secret}/`);
    expect(twilio.requests).toHaveLength(1);
    expect(slack.requests).toHaveLength(2);
  });
});

describe("--verify of neighbouring two-part keys", () => {
  it("pairs each AWS key id with its own secret, whichever comes first, trying the others in reach", async () => {
    const [one, two] = [newAwsKeyPair(), newAwsKeyPair()];
    const aws = await awsStandIn([one, two]);
    const id = (pair: AwsKeyPair) => `AWS_ACCESS_KEY_ID=${pair.id}`;
    const secret = (pair: AwsKeyPair) => `AWS_SECRET_ACCESS_KEY=${pair.secret}`;
    const dir = makeTempDir();
    const layouts = {
      "interleaved.env": [id(one), secret(one), id(two), secret(two)],
      "secret-first.env": [secret(one), id(one), secret(two), id(two)],
      "ids-then-secrets.env": [id(one), id(two), secret(one), secret(two)],
    };
    for (const [file, lines] of Object.entries(layouts))
      writeFileSync(join(dir, file), `${lines.join("\n")}\n`);

    const { report, stderr } = await scanJson(dir, [
      "--verify",
      "--endpoint",
      `aws=${aws.server.url}`,
    ]);
    expect(stderr).toBe("");
    expect(report.findings).toHaveLength(12);
    for (const finding of report.findings) {
      const where = `${finding.path}:${finding.line}`;
      expect(finding.verification?.status, where).toBe("live");
      // The ARN names the pair signed for: the one this finding's line belongs to.
      const line = layouts[finding.path as keyof typeof layouts][finding.line - 1]!;
      const user = line.endsWith(one.id) || line.endsWith(one.secret) ? "key-0" : "key-1";
      expect(finding.verification?.detail, where).toContain(`user/${user}`);
    }
    // Neighbours in order pair at once; ids before their secrets take one wrong pair each first.
    const mismatches = aws.calls.filter((call) => call.result === "SignatureDoesNotMatch");
    expect(mismatches).toHaveLength(2);
    expect(aws.calls).toHaveLength(4);
    const blocks = report.findings.filter((f) => f.path === "ids-then-secrets.env");
    expect(blocks.every((f) => f.verification?.detail?.includes("(paired with the"))).toBe(true);
  });

  it("pairs each Twilio SID with its own secret on the next line", async () => {
    const pairs = [0, 1].map(() => ({
      sid: sample("twilio-api-key-sid").secret,
      secret: expandTemplate("{{alnum:32}}"),
    }));
    const basic = ({ sid, secret }: { sid: string; secret: string }) =>
      `Basic ${Buffer.from(`${sid}:${secret}`).toString("base64")}`;
    const twilio = await standIn({
      routes: {
        "GET /v2/Services": (request) =>
          pairs.some((pair) => request.headers.authorization === basic(pair))
            ? { body: { services: [] } }
            : { status: 401, body: { code: 20003, message: "Authenticate" } },
      },
    });
    const dir = makeTempDir();
    writeFileSync(
      join(dir, "twilio.env"),
      `${pairs.flatMap((pair) => [`TWILIO_API_KEY=${pair.sid}`, `TWILIO_API_SECRET=${pair.secret}`]).join("\n")}\n`,
    );
    const { report } = await scanJson(dir, ["--verify", "--endpoint", `twilio=${twilio.url}`]);
    expect(statusByLine(report, "twilio.env")).toEqual(["1:live", "2:live", "3:live", "4:live"]);
    expect(twilio.requests.map((r) => r.headers.authorization).sort()).toEqual(
      pairs.map(basic).sort(),
    );
  });

  it("checks a Twilio auth token written beside its Account SID as that pair", async () => {
    const sid = expandTemplate("AC{{hex:32}}");
    const token = expandTemplate("{{hex:32}}");
    const twilio = await standIn({
      routes: {
        "GET /v2/Services": (request) =>
          request.headers.authorization ===
          `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`
            ? { body: { services: [] } }
            : { status: 401, body: { code: 20003, message: "Authenticate" } },
      },
    });
    const dir = makeTempDir();
    writeFileSync(
      join(dir, "send_sms.py"),
      `from twilio.rest import Client\n\naccount_sid = "${sid}"\nauth_token = "${token}"\nclient = Client(account_sid, auth_token)\n`,
    );
    const { report } = await scanJson(dir, ["--verify", "--endpoint", `twilio=${twilio.url}`]);
    // The SID is no secret: only the token is reported, with the SID as its companion.
    expect(report.findings.map((f) => [f.line, f.ruleId, f.companion?.ruleId])).toEqual([
      [4, "twilio-auth-token-by-sid", "twilio-account-sid"],
    ]);
    expect(statusByLine(report, "send_sms.py")).toEqual(["4:live"]);
    expect(twilio.requests).toHaveLength(1);
  });
});

describe("--verify behind a proxy", () => {
  /**
   * A proxy on 127.0.0.1 that tunnels CONNECT requests, as company proxies do, and logs them.
   * `drop`: one that closes the connection instead, as a proxy refusing a host may; `refuse`:
   * one that answers 403.
   */
  async function tunnellingProxy(
    behaviour: "tunnel" | "drop" | "refuse" = "tunnel",
  ): Promise<{ url: string; port: number; tunnels: string[] }> {
    const { createServer } = await import("node:http");
    const { connect } = await import("node:net");
    const tunnels: string[] = [];
    const proxy = createServer((_request, response) => response.writeHead(405).end());
    proxy.on("connect", (request, socket, head) => {
      tunnels.push(request.url ?? "");
      if (behaviour === "drop") {
        socket.destroy();
        return;
      }
      if (behaviour === "refuse") {
        socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      const [host, port] = (request.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, "127.0.0.1", done));
    onTestFinished(() => new Promise<void>((done) => proxy.close(() => done())));
    const { port } = proxy.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, port, tunnels };
  }

  /** A port on 127.0.0.1 where nothing listens. */
  async function closedPort(): Promise<number> {
    const { createServer } = await import("node:net");
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as { port: number };
    await new Promise<void>((done) => server.close(() => done()));
    return port;
  }

  it("goes through HTTPS_PROXY / HTTP_PROXY, and not for a host NO_PROXY names", async () => {
    const key = sample("groq-api-key");
    const server = await provider("groq-api-key", [key.secret]);
    const proxy = await tunnellingProxy();
    const dir = makeTempDir();
    writeFileSync(join(dir, "app.env"), `${key.text}\n`);
    const endpoint = ["--verify", "--endpoint", `groq=${server.url}`];
    const proxied = await scanJson(dir, endpoint, { HTTP_PROXY: proxy.url });
    expect(proxied.report.findings[0]?.verification?.status).toBe("live");
    expect(proxy.tunnels).toEqual([new URL(server.url).host]);
    const direct = await scanJson(dir, endpoint, { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" });
    expect(direct.report.findings[0]?.verification?.status).toBe("live");
    expect(proxy.tunnels).toHaveLength(1);
  });

  it("takes a proxy written host:port, without a scheme, as curl does", async () => {
    const key = sample("groq-api-key");
    const server = await provider("groq-api-key", [key.secret]);
    const proxy = await tunnellingProxy();
    const dir = makeTempDir();
    writeFileSync(join(dir, "app.env"), `${key.text}\n`);
    const proxied = await scanJson(dir, ["--verify", "--endpoint", `groq=${server.url}`], {
      HTTP_PROXY: `127.0.0.1:${proxy.port}`,
    });
    expect(proxied.stderr).toBe("");
    expect(proxied.report.findings[0]?.verification?.status).toBe("live");
    expect(proxy.tunnels).toEqual([new URL(server.url).host]);
  });

  it("refuses a proxy variable that is no address, in one line naming it, and sends nothing", async () => {
    const key = sample("groq-api-key");
    const server = await provider("groq-api-key", [key.secret]);
    const dir = makeTempDir();
    writeFileSync(join(dir, "app.env"), `${key.text}\n`);
    const expected = "(expected host:port or http://host:port)";
    for (const [name, value, said] of [
      ["HTTPS_PROXY", "proxy:port", `"proxy:port" is not a proxy address ${expected}`],
      ["https_proxy", "http://", `"http://" is not a proxy address ${expected}`],
      ["HTTPS_PROXY", "http://user:pw@[x:1", `"http://…@[x:1" is not a proxy address ${expected}`],
      [
        "HTTP_PROXY",
        "socks5://127.0.0.1:1080",
        "socks5:// proxies are not supported (use an http:// or https:// proxy)",
      ],
    ] as const) {
      const result = await runCli(["scan", ".", "--verify", "--endpoint", `groq=${server.url}`], {
        cwd: dir,
        env: { [name]: value },
      });
      expect(result.exitCode, value).toBe(2);
      expect(result.stdout, value).toBe("");
      expect(result.stderr, value).toBe(`keywarden: ${name}: ${said}\n`);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("says it is the proxy that cannot be reached, dropped the call or refused it", async () => {
    const key = sample("groq-api-key");
    const server = await provider("groq-api-key", [key.secret]);
    const dir = makeTempDir();
    writeFileSync(join(dir, "app.env"), `${key.text}\n`);
    const args = ["--verify", "--verify-timeout", "5s", "--endpoint", `groq=${server.url}`];
    const port = await closedPort();
    const down = await scanJson(dir, args, { HTTP_PROXY: `http://127.0.0.1:${port}` });
    expect(down.report.findings[0]?.verification).toMatchObject({
      status: "unknown",
      detail: `could not reach the proxy 127.0.0.1:${port} (HTTP_PROXY): ECONNREFUSED`,
    });

    // A proxy that closes the connection instead of tunnelling: each try fails at once (no
    // reconnecting in a loop), and the run ends.
    const dropping = await tunnellingProxy("drop");
    const started = Date.now();
    const dropped = await runCli(["scan", ".", "--format", "json", ...args], {
      cwd: dir,
      env: { HTTP_PROXY: dropping.url },
      timeoutMs: 20_000,
    });
    expect(dropped.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((JSON.parse(dropped.stdout) as JsonReport).findings[0]?.verification).toMatchObject({
      status: "unknown",
      detail: `the proxy 127.0.0.1:${dropping.port} (HTTP_PROXY) closed the connection when asked to connect to ${new URL(server.url).host}`,
    });
    // The first try and two retries.
    expect(dropping.tunnels).toHaveLength(3);

    const refusing = await tunnellingProxy("refuse");
    const refused = await scanJson(dir, args, { HTTP_PROXY: refusing.url });
    expect(refused.report.findings[0]?.verification?.detail).toBe(
      `the proxy 127.0.0.1:${refusing.port} (HTTP_PROXY) answered 403 when asked to connect to ${new URL(server.url).host}`,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("--verify and a provider that quotes the key", () => {
  it("hides the key in the verification detail of every report, and in a saved report read again", async () => {
    const token = sample("slack-bot-token");
    const slack = await standIn({
      routes: {
        "POST /api/auth.test": (request) => ({
          body: { ok: false, error: `invalid_auth: ${request.headers.authorization}` },
        }),
      },
    });
    const dir = makeTempDir();
    writeFileSync(join(dir, "prod.env"), `${token.text}\n`);
    const endpoint = ["--endpoint", `slack=${slack.url}`];
    const json = await scanJson(dir, ["--verify", ...endpoint]);
    expect(json.report.findings[0]?.verification?.detail).toContain("invalid_auth: Bearer xoxb-");
    const text = await runCli(["scan", ".", "--verify", ...endpoint], { cwd: dir });
    const saved = await scanJson(dir, ["--verify", "--no-redact", "-o", "full.json", ...endpoint]);
    expect(saved.exitCode).toBe(1);
    expect(readFileSync(join(dir, "full.json"), "utf8")).toContain(token.secret);
    const again = await runCli(["report", "full.json", "--format", "json"], { cwd: dir });
    for (const output of [json.stdout, text.stdout + text.stderr, again.stdout])
      expect(output).not.toContain(token.secret);
  });
});

describe("--verify safety and scheduling", () => {
  it("sends each unique secret once however often it appears", async () => {
    const key = sample("layer-api-key");
    const other = sample("layer-api-key");
    const server = await provider("layer-api-key", [key.secret]);
    const dir = makeTempDir();
    const text = `${key.text}\n${key.text}\n${other.text}\n`;
    writeFileSync(join(dir, "a.env"), text);
    writeFileSync(join(dir, "b.env"), text);
    writeFileSync(join(dir, "c.env"), `${key.text}\n`);

    const { report } = await scanJson(dir, ["--verify", "--endpoint", `layer=${server.url}`]);
    expect(report.findings).toHaveLength(7);
    expect(server.requests).toHaveLength(2);
    expect(report.findings.filter((f) => f.verification?.status === "live")).toHaveLength(5);
  });

  it("checks a secret seen in many commits once (history --verify)", async () => {
    const key = sample("openai-project-key");
    const spec = declarativeSpec("openai-project-key");
    const server = await standIn({
      routes: {
        [`${spec.method} ${spec.path}`]: { status: 200, body: { object: "list", data: [] } },
      },
    });
    const repo = makeTempRepo();
    repo.commit("one", { "a.env": `${key.text}\n` });
    repo.commit("two", { "b.env": `# copy\n${key.text}\n` });
    repo.commit("three", { "a.env": "# gone\n", "c.py": `${key.text}\n` });

    const result = await runCli(
      ["history", "--verify", "--format", "json", "--endpoint", `openai=${server.url}`],
      { cwd: repo.dir },
    );
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.length).toBeGreaterThanOrEqual(1);
    expect(report.findings.every((f) => f.verification?.status === "live")).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("holds --verify-concurrency and --verify-rate, counted at the provider", async () => {
    const keys = Array.from({ length: 8 }, () => sample("together-api-key"));
    const server = await standIn({
      routes: { "GET /v1/models": { status: 401, delayMs: 400 } },
    });
    const dir = makeTempDir();
    writeFileSync(join(dir, "keys.env"), keys.map((k) => k.text).join("\n"));

    await scanJson(dir, [
      "--verify",
      "--verify-concurrency",
      "2",
      "--verify-rate",
      "100",
      "--endpoint",
      `together=${server.url}`,
    ]);
    expect(server.requests).toHaveLength(8);
    expect(server.maxInFlight).toBe(2);

    server.clearLog();
    await scanJson(dir, ["--verify", "--verify-rate", "4", "--endpoint", `together=${server.url}`]);
    const times = server.requests.map((r) => r.receivedAt);
    expect(times).toHaveLength(8);
    // 4 per second: 8 starts span 7 intervals (1750 ms) and no second sees more than 4. The
    // margins absorb connection set-up delaying the first arrivals on a busy machine; without
    // the limit all 8 would arrive within a few milliseconds.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1250);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(6);
  });

  it("reports a sign-in page, served directly or by a redirect, as unknown", async () => {
    const key = sample("openai-project-key");
    const page = { headers: { "content-type": "text/html" }, body: "<html>Sign in</html>" };
    const gateway = await standIn({
      routes: {
        "GET /page/v1/models": { status: 200, ...page },
        "GET /moved/v1/models": { status: 302, headers: { location: "/login?next=/v1/models" } },
        "GET /login": { status: 200, ...page },
      },
    });
    const dir = makeTempDir();
    writeFileSync(join(dir, "app.env"), `${key.text}\n`);
    const verdict = async (prefix: string) =>
      (await scanJson(dir, ["--verify", "--endpoint", `openai=${gateway.url}/${prefix}`])).report
        .findings[0]?.verification;
    expect(await verdict("page")).toMatchObject({ status: "unknown", httpStatus: 200 });
    expect(await verdict("moved")).toMatchObject({
      status: "unknown",
      httpStatus: 302,
      detail: `redirected (302) to ${new URL(gateway.url).host}/login; not followed: the provider's API answers this call itself`,
    });
    expect(gateway.requestsTo("/login")).toHaveLength(0);
  });

  it("reports timeouts as unknown within --verify-timeout", async () => {
    const key = sample("meta-llama-api-key");
    const server = await standIn({
      routes: { "GET /v1/models": { status: 200, delayMs: 5000 } },
    });
    const dir = makeTempDir();
    writeFileSync(join(dir, "k.env"), key.text);
    const { report } = await scanJson(dir, [
      "--verify",
      "--verify-timeout",
      "300ms",
      "--endpoint",
      `meta-llama=${server.url}`,
    ]);
    expect(report.findings[0]?.verification).toMatchObject({ status: "unknown" });
    // The stand-in would have said 200 (live) had the client waited.
    expect(report.findings[0]?.verification?.detail).toMatch(/within 300 ms/);
  });

  it("never lets a repository's .keywarden.yaml send keys to its own host", async () => {
    const key = sample("meta-llama-api-key");
    const real = await provider("meta-llama-api-key", [key.secret]);
    const attacker = await standIn({ fallback: { status: 200 } });
    const rule = (id: string) => ({
      id,
      title: "Llama key",
      provider: "meta-llama",
      pattern: "LLM\\|[0-9]{15,17}\\|[A-Za-z0-9_-]{27}",
      keywords: ["llm|"],
      verify: {
        service: "meta-llama",
        base: attacker.url,
        path: "/collect",
        headers: { Authorization: "Bearer {{secret}}" },
      },
    });
    const repo = makeTempRepo({ "app.env": `${key.text}\n` });

    // 1. A rule of its own pointing at its host: unsupported, nothing sent.
    writeFileSync(
      join(repo.dir, ".keywarden.yaml"),
      JSON.stringify({ rules: [rule("team-llama")] }),
    );
    const added = await scanJson(repo.dir, ["--verify", "--endpoint", `meta-llama=${real.url}`]);
    const mine = added.report.findings.find((f) => f.ruleId === "team-llama");
    expect(mine?.verification?.status).toBe("unsupported");
    expect(mine?.verification?.detail).toMatch(/\.keywarden\.yaml.*--trust-config/);
    // The built-in rule still verifies, at the provider.
    const builtin = added.report.findings.find((f) => f.ruleId === "meta-llama-api-key");
    expect(builtin?.verification?.status).toBe("live");

    // 2. Dropping the built-in rules and redefining the built-in id: the shipped verify block wins.
    writeFileSync(
      join(repo.dir, ".keywarden.yaml"),
      JSON.stringify({ useDefault: false, rules: [rule("meta-llama-api-key")] }),
    );
    const redefined = await scanJson(repo.dir, [
      "--verify",
      "--endpoint",
      `meta-llama=${real.url}`,
    ]);
    expect(redefined.report.findings[0]?.verification?.status).toBe("live");

    // 3. Redefining a built-in id next to the built-in rules is a config error before any request.
    writeFileSync(
      join(repo.dir, ".keywarden.yaml"),
      JSON.stringify({ rules: [rule("meta-llama-api-key")] }),
    );
    const clash = await runCli(["scan", ".", "--verify"], { cwd: repo.dir });
    expect(clash.exitCode).toBe(2);

    expect(attacker.requests).toHaveLength(0);
    expect(real.requests).toHaveLength(2);
  });

  it("never sends a config rule's match as the other half of a built-in two-part key", async () => {
    const sid = sample("twilio-api-key-sid").secret;
    const mistral = expandTemplate("{{alnum:32}}");
    const twilio = await standIn({ routes: { "GET /v2/Services": { status: 401 } } });
    const repo = makeTempRepo();
    const redefined = {
      id: "twilio-api-key-secret",
      title: "not Twilio at all",
      provider: "twilio",
      pattern: "MISTRAL_API_KEY=(?<secret>[A-Za-z0-9]{32})",
      keywords: ["mistral"],
      verify: { custom: "twilio-basic", service: "twilio" },
    };
    const sent = () => twilio.requests.map((r) => r.headers.authorization ?? "").join("\n");
    const basicWith = (secret: string) =>
      `Basic ${Buffer.from(`${sid}:${secret}`).toString("base64")}`;
    for (const config of [
      { disable: ["twilio-api-key-secret"], rules: [redefined] },
      {
        useDefault: false,
        rules: [
          redefined,
          { ...RULES.find((r) => r.id === "twilio-api-key-sid")!, examples: undefined },
        ],
      },
    ]) {
      repo.commit("config", {
        ".keywarden.yaml": JSON.stringify(config),
        ".env": `TWILIO_API_KEY=${sid}\nMISTRAL_API_KEY=${mistral}\n`,
      });
      const { report, stderr } = await scanJson(repo.dir, [
        "--verify",
        "--endpoint",
        `twilio=${twilio.url}`,
      ]);
      expect(stderr).toBe("");
      const byRule = Object.fromEntries(report.findings.map((f) => [f.ruleId, f.verification]));
      expect(byRule["twilio-api-key-sid"]).toEqual({
        status: "unsupported",
        checkedAt: expect.any(String),
        detail:
          "its other half (line 2) was found by the config's rule twilio-api-key-secret, not keywarden's own: it is not sent to the provider without --trust-config",
      });
      expect(byRule["twilio-api-key-secret"]?.status).toBe("unsupported");
      expect(sent()).not.toContain(basicWith(mistral));

      // Nor does revoke, which checks each key again before acting.
      await runCli(
        ["revoke", "--yes", "--confirm-wait", "0", "--endpoint", `twilio=${twilio.url}`],
        {
          cwd: repo.dir,
          env: {
            TWILIO_ACCOUNT_SID: `AC${expandTemplate("{{hex:32}}")}`,
            TWILIO_AUTH_TOKEN: expandTemplate("{{hex:32}}"),
          },
        },
      );
      expect(sent()).not.toContain(basicWith(mistral));
    }
    expect(twilio.requests).toHaveLength(0);

    // Trusted, the config is the runner's own: the pair is checked.
    await scanJson(repo.dir, ["--verify", "--trust-config", "--endpoint", `twilio=${twilio.url}`]);
    expect(sent()).toContain(basicWith(mistral));
  });

  it("verifies a config rule only with --trust-config", async () => {
    const key = sample("layer-api-key");
    const team = await standIn({ routes: { "GET /check": { status: 200 } } });
    const dir = makeTempDir();
    writeFileSync(join(dir, "k.env"), `INTERNAL_KEY=kw_${key.secret}\n`);
    writeFileSync(
      join(dir, ".keywarden.yaml"),
      JSON.stringify({
        useDefault: false,
        rules: [
          {
            id: "internal-key",
            title: "Internal key",
            provider: "internal",
            pattern: "kw_layer_[a-f0-9]{64}",
            keywords: ["kw_layer_"],
            verify: {
              service: "internal",
              base: team.url,
              path: "/check",
              headers: { "X-Key": "{{secret}}" },
            },
          },
        ],
      }),
    );
    const untrusted = await scanJson(dir, ["--verify"]);
    expect(untrusted.report.findings[0]?.verification?.status).toBe("unsupported");
    expect(team.requests).toHaveLength(0);
    const trusted = await scanJson(dir, ["--verify", "--trust-config"]);
    expect(trusted.report.findings[0]?.verification?.status).toBe("live");
    expect(team.requests).toHaveLength(1);
  });

  it("rejects bad verify options with one line and exit 2", async () => {
    const dir = makeTempDir();
    for (const args of [
      ["--verify", "--endpoint", "layer=http://example.com"],
      ["--verify", "--endpoint", "nosuch=https://example.com"],
      ["--verify", "--verify-concurrency", "0"],
      ["--verify", "--verify-timeout", "soon"],
      ["--only-live"],
      ["--fail-on", "live"],
      ["--verify", "--fail-on", "sometimes"],
      // Past a timer's reach: the wait would end at once.
      ["--verify", "--verify-timeout", "3000000s"],
      ["--verify", "--verify-rate", "0.000000001"],
    ]) {
      const result = await runCli(["scan", ".", ...args], { cwd: dir });
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0], args.join(" ")).toMatch(/^keywarden: /);
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
    // The error quotes the value as typed, not what a number parser made of it.
    for (const [flag, value] of [
      ["--verify-concurrency", "8x"],
      ["--verify-concurrency", "2.5"],
      ["--verify-rate", "fast"],
      ["--verify-rate", "1e400"],
    ] as const) {
      const result = await runCli(["scan", ".", "--verify", flag, value], { cwd: dir });
      expect(result.exitCode, `${flag} ${value}`).toBe(2);
      expect(result.stderr.split("\n")[0]).toMatch(new RegExp(`^keywarden: ${flag}: "${value}" `));
    }
    // A misspelt variable would leave the keys going to the provider's own host.
    const typo = await runCli(["scan", ".", "--verify"], {
      cwd: dir,
      env: { KEYWARDEN_ENDPOINT_METALLAMA: "http://127.0.0.1:9" },
    });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toMatch(/^keywarden: KEYWARDEN_ENDPOINT_METALLAMA: .*known: .*meta-llama/);
  });
});

describe("--only-live and --fail-on", () => {
  it("filters and sets the exit code by verification status", async () => {
    const live = sample("together-api-key");
    const dead = sample("together-api-key");
    const server = await provider("together-api-key", [live.secret]);
    const dir = makeTempDir();
    writeFileSync(join(dir, "k.env"), `${live.text}\n${dead.text}\n`);
    const endpoint = ["--verify", "--endpoint", `together=${server.url}`];

    const onlyLive = await scanJson(dir, [...endpoint, "--only-live"]);
    expect(onlyLive.report.findings.map((f) => f.verification?.status)).toEqual(["live"]);
    expect(onlyLive.exitCode).toBe(1);

    writeFileSync(join(dir, "k.env"), `${dead.text}\n`);
    expect((await scanJson(dir, [...endpoint, "--fail-on", "live"])).exitCode).toBe(0);
    expect((await scanJson(dir, [...endpoint, "--fail-on", "any"])).exitCode).toBe(1);
    expect((await scanJson(dir, ["--fail-on", "none"])).exitCode).toBe(0);
  });
});

describe("keywarden verify REPORT.json", () => {
  it("reads each secret again from file:line and commit:path:line, and verifies it", async () => {
    const inTree = sample("meta-llama-api-key");
    const inHistory = sample("meta-llama-api-key");
    const server = await provider("meta-llama-api-key", [inTree.secret, inHistory.secret]);
    const repo = makeTempRepo();
    repo.commit("add keys", {
      "old.env": `${inHistory.text}\n`,
      "app.env": `# config\n${inTree.text}\n`,
    });
    repo.commit("remove old key", { "old.env": "# moved to the vault\n" });

    const history = await runCli(["history", "--format", "json", "--output", "history.json"], {
      cwd: repo.dir,
    });
    expect(history.exitCode).toBe(1);
    const saved = readFileSync(join(repo.dir, "history.json"), "utf8");
    expect(saved).not.toContain(inHistory.secret);
    expect(saved).not.toContain(inTree.secret);

    const verified = await runCli(
      ["verify", "history.json", "--format", "json", "--endpoint", `meta-llama=${server.url}`],
      { cwd: repo.dir },
    );
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(1);
    const report = JSON.parse(verified.stdout) as JsonReport;
    const byPath = Object.fromEntries(report.findings.map((f) => [f.path, f]));
    expect(byPath["old.env"]?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(byPath["old.env"]?.verification?.status).toBe("live");
    expect(byPath["app.env"]?.verification?.status).toBe("live");
    expect(server.requests.map((r) => r.headers.authorization).sort()).toEqual(
      [`Bearer ${inTree.secret}`, `Bearer ${inHistory.secret}`].sort(),
    );
    expect(verified.stdout).not.toContain(inTree.secret);

    // Outside the repository, git's reason and where to run it instead.
    const outside = await runCli(
      [
        "verify",
        join(repo.dir, "history.json"),
        "--format",
        "json",
        "--endpoint",
        `meta-llama=${server.url}`,
      ],
      { cwd: makeTempDir() },
    );
    const lost = (JSON.parse(outside.stdout) as JsonReport).findings.find(
      (f) => f.path === "old.env",
    );
    expect(lost?.verification?.detail).toMatch(
      /^cannot read [0-9a-f]{12}:old\.env:1 \(not a git repository.*\); a history report is read from the repository it scanned: run verify there$/,
    );
  });

  it("reads again the keys of blobs a tag names without a commit", async () => {
    const [light, annotated] = [sample("meta-llama-api-key"), sample("meta-llama-api-key")];
    const server = await provider("meta-llama-api-key", [light.secret, annotated.secret]);
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "app\n" });
    const blob = (text: string) => {
      writeFileSync(join(repo.dir, "blob.tmp"), `${text}\n`);
      return repo.git("hash-object", "-w", "blob.tmp");
    };
    repo.git("tag", "light", blob(light.text));
    repo.git("tag", "-a", "annotated", "-m", "a key", blob(annotated.text));
    const report = await historyVerified(repo.dir, server.url);
    expect(report.findings.map((f) => [f.path, f.verification?.status]).sort()).toEqual([
      ["refs/tags/annotated", "live"],
      ["refs/tags/light", "live"],
    ]);
  });

  it("reads again a history key in a file whose name is not UTF-8", async () => {
    const key = sample("meta-llama-api-key");
    const server = await provider("meta-llama-api-key", [key.secret]);
    const repo = makeTempRepo();
    // A Latin-1 café.env, beside a name that reads the same but for its last letter.
    const latin1 = Buffer.concat([
      Buffer.from(`${repo.dir}/caf`),
      Buffer.from([0xe9]),
      Buffer.from(".env"),
    ]);
    writeFileSync(latin1, `${key.text}\n`);
    writeFileSync(join(repo.dir, "cafe.env"), "NAME=x\n");
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "add a key");
    const report = await historyVerified(repo.dir, server.url);
    expect(report.findings.map((f) => [f.path, f.verification?.status])).toEqual([
      ["caf\uFFFD.env", "live"],
    ]);
  });

  it("reads a staged report's keys from the index, not the working tree edited since", async () => {
    const key = sample("meta-llama-api-key");
    const server = await provider("meta-llama-api-key", [key.secret]);
    const repo = makeTempRepo();
    repo.commit("start", { "README.md": "app\n" });
    writeFileSync(join(repo.dir, "app.env"), `${key.text}\n`);
    repo.git("add", "app.env");
    const staged = await runCli(["staged", "--format", "json", "-o", "staged.json"], {
      cwd: repo.dir,
    });
    expect(staged.exitCode).toBe(1);
    // Taken out of the file, but the index still holds it: the next commit would carry it.
    writeFileSync(join(repo.dir, "app.env"), "LLAMA_API_KEY=\n");
    const verified = await runCli(
      ["verify", "staged.json", "--format", "json", "--endpoint", `meta-llama=${server.url}`],
      { cwd: repo.dir },
    );
    expect(verified.stderr).toBe("");
    expect((JSON.parse(verified.stdout) as JsonReport).findings[0]?.verification?.status).toBe(
      "live",
    );
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${key.secret}`]);
  });

  it("hides the secrets of a report saved with --no-redact, unless --no-redact again", async () => {
    const key = sample("meta-llama-api-key");
    const server = await provider("meta-llama-api-key", [key.secret]);
    const dir = makeTempDir();
    writeFileSync(join(dir, "app.env"), `${key.text}\n`);
    await runCli(["scan", ".", "--format", "json", "--no-redact", "-o", "full.json"], { cwd: dir });
    expect(readFileSync(join(dir, "full.json"), "utf8")).toContain(key.secret);
    const verify = (...flags: string[]) =>
      runCli(["verify", "full.json", "--endpoint", `meta-llama=${server.url}`, ...flags], {
        cwd: dir,
      });
    for (const format of ["json", "text"]) {
      const redacted = await verify("--format", format);
      expect(redacted.exitCode, redacted.stderr).toBe(1);
      expect(redacted.stdout).toContain(key.secret.slice(0, 4));
      expect(redacted.stdout).not.toContain(key.secret);
    }
    const full = await verify("--format", "json", "--no-redact");
    expect(JSON.parse(full.stdout).findings[0].secret).toBe(key.secret);
  });

  it("reports unknown for a secret that is gone from its recorded place", async () => {
    const key = sample("layer-api-key");
    const server = await provider("layer-api-key", [key.secret]);
    const dir = makeTempDir();
    writeFileSync(join(dir, "k.env"), `${key.text}\n`);
    const scan = await runCli(["scan", ".", "--format", "json", "--output", "report.json"], {
      cwd: dir,
    });
    expect(scan.exitCode).toBe(1);
    writeFileSync(join(dir, "k.env"), "LAYER_API_KEY=\n");

    const verified = await runCli(
      ["verify", "report.json", "--format", "json", "--endpoint", `layer=${server.url}`],
      {
        cwd: dir,
      },
    );
    const report = JSON.parse(verified.stdout) as JsonReport;
    expect(report.findings[0]?.verification).toMatchObject({ status: "unknown" });
    expect(report.findings[0]?.verification?.detail).toMatch(/no longer at k\.env:1/);

    // Run from elsewhere, the report's paths lead nowhere: said as such.
    mkdirSync(join(dir, "sub"));
    const elsewhere = await runCli(
      ["verify", "../report.json", "--format", "json", "--endpoint", `layer=${server.url}`],
      { cwd: join(dir, "sub") },
    );
    expect((JSON.parse(elsewhere.stdout) as JsonReport).findings[0]?.verification?.detail).toMatch(
      /^cannot read k\.env:1 from .*sub \(.*run it where the scan ran\)/,
    );

    // A FIFO in the file's place would wait for a writer forever: it is not read.
    rmSync(join(dir, "k.env"));
    execFileSync("mkfifo", [join(dir, "k.env")]);
    const fifo = await runCli(
      ["verify", "report.json", "--format", "json", "--endpoint", `layer=${server.url}`],
      { cwd: dir, timeoutMs: 20_000 },
    );
    expect(fifo.exitCode, fifo.stderr).toBe(1);
    expect((JSON.parse(fifo.stdout) as JsonReport).findings[0]?.verification?.detail).toMatch(
      /^cannot read k\.env:1 from /,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("says a stdin report's keys cannot be read again, rather than where to run it", async () => {
    const key = sample("layer-api-key");
    const server = await provider("layer-api-key", [key.secret]);
    const dir = makeTempDir();
    const scan = await runCli(["stdin", "--path", "pod.log", "--format", "json", "-o", "r.json"], {
      cwd: dir,
      input: `${key.text}\n`,
    });
    expect(scan.exitCode, scan.stderr).toBe(1);
    const verified = await runCli(
      ["verify", "r.json", "--format", "json", "--endpoint", `layer=${server.url}`],
      { cwd: dir },
    );
    expect(verified.exitCode, verified.stderr).toBe(1);
    expect((JSON.parse(verified.stdout) as JsonReport).findings[0]?.verification?.detail).toBe(
      "cannot read pod.log:1: the report is of standard input, which cannot be read again (pipe the same input to keywarden stdin --verify)",
    );
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a file that is not a JSON report", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "report.txt"), "1 finding\n");
    const result = await runCli(["verify", "report.txt"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split("\n")[0]).toMatch(
      /^keywarden: report\.txt: not JSON \(.+\); expected a report made with --format json$/,
    );
    // verify hands a finding's commit to git: anything but a commit id is refused.
    const finding = {
      ruleId: "github-pat",
      path: "a.env",
      line: 1,
      secret: "REDACTED",
      fingerprint: "0".repeat(32),
      commit: "--upload-pack=touch",
    };
    writeFileSync(join(dir, "forged.json"), JSON.stringify({ version: 1, findings: [finding] }));
    const forged = await runCli(["verify", "forged.json"], { cwd: dir });
    expect(forged.exitCode).toBe(2);
    expect(forged.stderr.split("\n")[0]).toBe(
      "keywarden: forged.json: not a keywarden JSON report (at findings.0.commit: not a commit id); make one with --format json",
    );
  });

  it("refuses scan flags it would not read", async () => {
    const dir = makeTempDir();
    for (const flag of ["--baseline=b.json", "--max-file-size=1MB", "--ignore-file=x"]) {
      const result = await runCli(["verify", "report.json", flag], { cwd: dir });
      expect(result.exitCode, flag).toBe(2);
      expect(result.stderr, flag).toMatch(/^keywarden: Unknown argument/);
    }
  });
});

describe("lean start-up", () => {
  it("keeps verification, revocation, GitHub and schema code off the pre-commit path", () => {
    const meta = readCliMetafile();
    const outputs = Object.keys(meta.outputs);
    const staged = outputs.find(
      (path) => "src/cli/commands/staged.ts" in meta.outputs[path]!.inputs,
    )!;
    expect(staged).toBeDefined();
    // What `keywarden staged` loads: the entry, the staged command chunk, and their static imports.
    const seen = staticClosure(meta, mainOutput(meta), staged);
    const inputs = [...seen].flatMap((path) => Object.keys(meta.outputs[path]!.inputs));
    expect(inputs).toContain("src/engine/detector.ts");
    expect(inputs).toContain("src/sources/staged-diff.ts");
    const stray = inputs.filter((input) =>
      /src\/(verify|revoke|action)\/|node_modules\/(@octokit|zod|yaml|smol-toml|simple-git)\//.test(
        input,
      ),
    );
    expect(stray).toEqual([]);
  });
});
