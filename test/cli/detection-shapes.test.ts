import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { shannonEntropy } from "../../src/engine/entropy.js";
import { makeTempDir } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

interface Finding {
  ruleId: string;
  path: string;
  line: number;
  column: number;
  endColumn: number;
  secret: string;
  encoding?: string;
  companion?: { ruleId: string; secret: string; line: number };
}

/** Scans files written to a new folder, as a user would; the findings, unredacted. */
async function scan(files: Readonly<Record<string, string>>): Promise<Finding[]> {
  const dir = makeTempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const result = await runCli(["scan", ".", "--format", "json", "--no-redact"], { cwd: dir });
  expect(result.stderr).toBe("");
  expect([0, 1]).toContain(result.exitCode);
  return (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
}

/** A random AWS access key id and secret access key. */
function awsPair(): { id: string; secret: string } {
  // A rare draw without a digit, a lower or an upper case letter, or with many repeats, is no
  // secret the rules take.
  for (;;) {
    const secret = expandTemplate("{{b64:40}}");
    const mixed = /[0-9]/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret);
    if (mixed && shannonEntropy(secret) >= 4.3) {
      return { id: expandTemplate("AKIA{{base32:16}}"), secret };
    }
  }
}

describe("an AWS secret access key with no name before it", () => {
  it("is reported next to its key id, with the id as its companion for verification", async () => {
    const java = awsPair();
    const go = awsPair();
    const findings = await scan({
      "S3.java": `class S3 {\n  AWSCredentials creds = new BasicAWSCredentials("${java.id}", "${java.secret}");\n}\n`,
      "main.go": `cfg := &aws.Config{\n\tCredentials: credentials.NewStaticCredentials(\n\t\t"${go.id}",\n\t\t"${go.secret}",\n\t\t"",\n\t),\n}\n`,
    });
    for (const [path, pair, idLine] of [
      ["S3.java", java, 2],
      ["main.go", go, 3],
    ] as const) {
      const secret = findings.find((f) => f.path === path && f.secret === pair.secret);
      expect(secret?.ruleId, path).toBe("aws-secret-access-key-by-id");
      expect(secret?.companion).toEqual({
        ruleId: "aws-access-key-id",
        secret: pair.id,
        line: idLine,
      });
    }
  });

  it("is not reported without a key id near it, nor for the documentation key id", async () => {
    const { secret } = awsPair();
    const findings = await scan({
      "S3.java": `new BasicAWSCredentials(accessKeyId, "${secret}");\n`,
      "Docs.java": `new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "${secret}");\n`,
    });
    expect(findings).toEqual([]);
  });
});

describe("an sk-<32 hex> key beside DeepSeek's name", () => {
  it("is DeepSeek's only when the name it is assigned to does not name another service", async () => {
    const deepseek = expandTemplate("sk-{{hex:32}}");
    const dashscope = expandTemplate("sk-{{hex:32}}");
    const viaOpenAi = expandTemplate("sk-{{hex:32}}");
    const findings = await scan({
      ".env": `DEEPSEEK_API_KEY=${deepseek}\nDASHSCOPE_API_KEY=${dashscope}\nDASHSCOPE_BASE_URL=https://dashscope.aliyuncs.com/compatible-mode/v1\n`,
      "app/.env": `OPENAI_BASE_URL=https://api.deepseek.com/v1\nOPENAI_API_KEY=${viaOpenAi}\n`,
    });
    const ruleOf = (secret: string) =>
      findings.filter((f) => f.secret === secret).map((f) => f.ruleId);
    expect(ruleOf(deepseek)).toEqual(["deepseek-api-key"]);
    // Still reported, by the rule that makes no claim about the service.
    expect(ruleOf(dashscope)).toEqual(["generic-secret"]);
    expect(ruleOf(viaOpenAi)).toEqual(["deepseek-api-key"]);
  });
});

describe("a two-part key whose separator is escaped", () => {
  it("is one finding at its place, the whole key, not also its secret half", async () => {
    const alphabet = "bcdfghjklmnpqrstvwxz2456789";
    const key = expandTemplate(`llmos-{{chars:${alphabet}:5}}:{{chars:${alphabet}:54}}`);
    const findings = await scan({
      "access.log": `10.0.0.1 - - "GET /v1/models?api_key=${encodeURIComponent(key)}&x=1 HTTP/1.1" 200 512\n`,
      "plain.log": `10.0.0.1 - - "GET /v1/models?api_key=${key}&x=1 HTTP/1.1" 200 512\n`,
    });
    const at = (path: string) => findings.filter((f) => f.path === path);
    expect(at("plain.log").map((f) => [f.ruleId, f.secret])).toEqual([["llmos-api-key", key]]);
    expect(at("access.log").map((f) => [f.ruleId, f.secret, f.encoding])).toEqual([
      ["llmos-api-key", key, "percent"],
    ]);
  });
});

describe("a key inside a JSON string written with escapes", () => {
  it("is read through \\/ and \\uXXXX, whole and at its own characters", async () => {
    // A long-term Bedrock key: base64 of text, with a / in it (PHP's json_encode writes \/):
    // `?~?` at a multiple of three bytes encodes to `P34/`.
    let bedrock = "";
    while (!bedrock.includes("/")) {
      const body = expandTemplate("BedrockAPIKey-{{lower:4}}-at-{{digits:12}}:{{b64:61}}?~?");
      bedrock = `ABSK${Buffer.from(body).toString("base64")}`;
    }
    const anthropic = expandTemplate("sk-ant-api03-{{b64url:93}}AA");
    const llama = expandTemplate("LLM|{{digits:16}}|{{alnum:27}}");
    const slashed = bedrock.replaceAll("/", "\\/");
    const dashes = anthropic.replaceAll("-", "\\u002d");
    const pipes = llama.replaceAll("|", "\\u007C");
    const findings = await scan({
      "dump.json": `{"AWS_BEARER_TOKEN_BEDROCK":"${slashed}",\n"ANTHROPIC_API_KEY":"${dashes}",\n"LLAMA_API_KEY":"${pipes}"}\n`,
    });
    expect(
      findings.map((f) => [f.line, f.column, f.endColumn, f.ruleId, f.secret, f.encoding]),
    ).toEqual([
      [1, 30, 30 + slashed.length, "aws-bedrock-api-key", bedrock, "backslash"],
      [2, 22, 22 + dashes.length, "anthropic-api-key", anthropic, "backslash"],
      [3, 18, 18 + pipes.length, "meta-llama-api-key", llama, "backslash"],
    ]);
  });
});

describe("a password in a curl -u option", () => {
  it("is reported when only the password half is quoted, and with an empty user name", async () => {
    const single = expandTemplate("{{alnum:16}}");
    const double = expandTemplate("{{alnum:16}}");
    const noUser = expandTemplate("{{alnum:20}}");
    const findings = await scan({
      "deploy.sh": [
        `curl --user kevin:'${single}' -iX PATCH https://api.example.com/v1/users/42`,
        `curl -u deploy:"${double}" https://registry.example.com/v2/`,
        `curl -u ":${noUser}" https://api.example.com/v1/jobs`,
        `curl -u admin:"$ADMIN_PASSWORD" https://api.example.com/`,
        "",
      ].join("\n"),
    });
    expect(findings.map((f) => [f.line, f.ruleId, f.secret])).toEqual([
      [1, "curl-auth-user", single],
      [2, "curl-auth-user", double],
      [3, "curl-auth-user", noUser],
    ]);
  });
});

describe("credential files that curl, git and psql read", () => {
  it("report a .netrc entry's password and a .pgpass line's password, not their stand-ins", async () => {
    const netrc = expandTemplate("{{alnum:24}}");
    const oneLine = expandTemplate("{{alnum:20}}");
    const pgpass = expandTemplate("{{alnum:20}}");
    const findings = await scan({
      ".netrc": `machine api.example.com\n  login deploy\n  password ${netrc}\n`,
      Dockerfile: `FROM alpine\nRUN echo "machine git.example.com login ci password ${oneLine}" > /root/.netrc\n`,
      ".pgpass": `# hostname:port:database:username:password\ndb.example.net:5432:app:app_user:${pgpass}\nlocalhost:5432:*:postgres:postgres\n`,
      "docs/netrc.md": "machine git.example.com login ci password $GIT_TOKEN\n",
      // Not a password file: the same shape elsewhere says nothing.
      "notes.txt": `db.example.net:5432:app:app_user:${pgpass}\n`,
    });
    expect(findings.map((f) => [f.path, f.line, f.ruleId, f.secret])).toEqual([
      [".netrc", 3, "netrc-password", netrc],
      [".pgpass", 2, "pgpass-password", pgpass],
      ["Dockerfile", 2, "netrc-password", oneLine],
    ]);
  });
});

describe("an Azure shared access signature", () => {
  it("is reported by its sig= in a SAS URL, a connection string and a Service Bus token", async () => {
    const inUrl = expandTemplate("{{alnum:43}}");
    const inConnection = expandTemplate("{{alnum:43}}");
    const serviceBus = expandTemplate("{{alnum:43}}");
    const findings = await scan({
      ".env": [
        `EXPORT_URL=https://acct1.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${inUrl}%3D`,
        `STORAGE=BlobEndpoint=https://acct1.blob.core.windows.net/;SharedAccessSignature=sv=2021-06-08&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig=${inConnection}=`,
        `SB_TOKEN="SharedAccessSignature sr=https%3A%2F%2Fns1.servicebus.windows.net%2Forders&sig=${serviceBus}%3D&se=1893456000&skn=RootManageSharedAccessKey"`,
        // Another service's sig= parameter, with no SAS version or key name beside it.
        `VERIFY_URL=https://example.com/verify?sig=${expandTemplate("{{alnum:43}}")}%3D&user=42`,
        "",
      ].join("\n"),
    });
    // A percent-encoded signature is reported decoded, as the key it is.
    expect(findings.map((f) => [f.line, f.ruleId, f.secret, f.encoding])).toEqual([
      [1, "azure-sas-token", `${inUrl}=`, "percent"],
      [2, "azure-sas-token", `${inConnection}=`, undefined],
      [3, "azure-sas-token", `${serviceBus}=`, "percent"],
    ]);
  });
});

describe("a Docker Hub access token", () => {
  it("is reported as Docker Hub's wherever it stands, not only under a secret name", async () => {
    const token = expandTemplate("dckr_pat_{{alnum:27}}");
    const findings = await scan({
      "ci/push.sh": `echo ${token} | docker login -u acme --password-stdin\n`,
    });
    expect(findings.map((f) => [f.ruleId, f.secret])).toEqual([["docker-hub-access-token", token]]);
  });
});

describe("a secret assigned in Rust, Terraform and Dockerfile syntax", () => {
  it("is reported under a typed Rust constant, a Terraform variable's default and a Dockerfile ENV without =", async () => {
    const rust = expandTemplate("{{alnum:24}}{{digits:2}}");
    const terraform = expandTemplate("{{alnum:14}}{{digits:2}}{{alnum:4}}");
    const docker = expandTemplate("{{alnum:24}}{{digits:2}}");
    const findings = await scan({
      "src/main.rs": `const API_KEY: &str = "${rust}";\n`,
      "variables.tf": `variable "db_password" {\n  type      = string\n  sensitive = true\n  default   = "${terraform}"\n}\n\nvariable "token_ttl" {\n  default = "3600s"\n}\n`,
      Dockerfile: `FROM node:20-alpine\nENV NPM_TOKEN ${docker}\nENV TOKEN_FILE /run/secrets/npm\nRUN npm ci\n`,
    });
    expect(findings.map((f) => [f.path, f.line, f.ruleId, f.secret])).toEqual([
      ["Dockerfile", 2, "generic-secret", docker],
      ["src/main.rs", 1, "generic-secret", rust],
      ["variables.tf", 4, "generic-secret", terraform],
    ]);
  });
});

describe("a Google OAuth client secret", () => {
  it("is reported as Google's by its GOCSPX- prefix, also passed to a client without a name", async () => {
    const downloaded = expandTemplate("GOCSPX-{{b64url:28}}");
    const passed = expandTemplate("GOCSPX-{{b64url:28}}");
    const findings = await scan({
      "client_secret.json": `{"installed":{"client_id":"${expandTemplate("{{digits:12}}-{{lowalnum:32}}")}.apps.googleusercontent.com","client_secret":"${downloaded}"}}\n`,
      "auth.py": `oauth = OAuth2Client(CLIENT_ID, "${passed}", REDIRECT_URI)\n`,
    });
    expect(findings.map((f) => [f.path, f.ruleId, f.secret])).toEqual([
      ["auth.py", "google-oauth-client-secret", passed],
      ["client_secret.json", "google-oauth-client-secret", downloaded],
    ]);
  });
});

describe("a Stripe webhook signing secret", () => {
  it("is reported as Stripe's by its whsec_ prefix, also passed to construct_event", async () => {
    const named = expandTemplate("whsec_{{alnum:32}}");
    const passed = expandTemplate("whsec_{{alnum:32}}");
    const findings = await scan({
      ".env": `STRIPE_WEBHOOK_SECRET=${named}\n`,
      "webhooks.py": `event = stripe.Webhook.construct_event(payload, sig_header, "${passed}")\n`,
    });
    expect(findings.map((f) => [f.path, f.ruleId, f.secret])).toEqual([
      [".env", "stripe-webhook-secret", named],
      ["webhooks.py", "stripe-webhook-secret", passed],
    ]);
  });
});

describe("a Kubernetes Secret holding certificates", () => {
  it("is not reported for a CA bundle alone, and is its private key's finding in a TLS Secret", async () => {
    const base64 = (text: string) => Buffer.from(text).toString("base64");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const key = privateKey.export({ type: "sec1", format: "pem" }).toString();
    // A certificate is public; its shape is what matters here, so a random body stands in.
    const body = expandTemplate("{{b64:64}}\n{{b64:64}}\n{{b64:40}}");
    const certificate = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    const secret = (name: string, data: Record<string, string>) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ndata:\n${Object.entries(data)
        .map(([entry, value]) => `  ${entry}: ${base64(value)}\n`)
        .join("")}`;
    const findings = await scan({
      "deploy/ca.yaml": secret("root-ca", { "ca.crt": certificate }),
      "deploy/tls.yaml": secret("web-tls", { "tls.crt": certificate, "tls.key": key }),
    });
    expect(findings.map((f) => [f.path, f.line, f.ruleId, f.encoding])).toEqual([
      ["deploy/tls.yaml", 7, "private-key", "base64"],
    ]);
  });
});

describe("a Go MySQL DSN", () => {
  it("reports its password, which has no URL scheme before it, and not a format string", async () => {
    const password = expandTemplate("{{alnum:16}}");
    const findings = await scan({
      "db.go": [
        `db, err := sql.Open("mysql", "app:${password}@tcp(127.0.0.1:3306)/orders?parseTime=true")`,
        `dsn := fmt.Sprintf("%s:%s@tcp(%s:%d)/%s", user, pass, host, port, name)`,
        "",
      ].join("\n"),
    });
    expect(findings.map((f) => [f.line, f.ruleId, f.secret])).toEqual([
      [1, "mysql-dsn-password", password],
    ]);
  });
});

describe("a password passed to a connection or credential API", () => {
  it("is reported as the argument it is in Java and C#, not when it is a variable", async () => {
    const jdbc = expandTemplate("{{alnum:16}}");
    const network = expandTemplate("{{alnum:16}}");
    const findings = await scan({
      "Db.java": `class Db {\n  Connection open() throws SQLException {\n    return DriverManager.getConnection("jdbc:postgresql://db.internal:5432/app", "app", "${jdbc}");\n  }\n  Connection other() throws SQLException {\n    return DriverManager.getConnection(url, user, password);\n  }\n}\n`,
      "Mailer.cs": `var credentials = new NetworkCredential("svc-mail", "${network}");\n`,
    });
    expect(findings.map((f) => [f.path, f.line, f.ruleId, f.secret])).toEqual([
      ["Db.java", 3, "credential-call-password", jdbc],
      ["Mailer.cs", 1, "credential-call-password", network],
    ]);
  });
});

describe("a password in SQL, a registry login and a C macro", () => {
  it("is reported where the statement, command or macro names it, and not in prose", async () => {
    const sql = expandTemplate("{{alnum:16}}");
    const postgres = expandTemplate("{{alnum:16}}");
    const registry = expandTemplate("{{alnum:20}}");
    const macro = expandTemplate("{{alnum:12}}{{digits:2}}{{alnum:4}}");
    const findings = await scan({
      "db/init.sql": `CREATE USER 'app'@'%' IDENTIFIED BY '${sql}';\nALTER ROLE reporter WITH PASSWORD '${postgres}';\n-- rows identified by "aOrderBy" are adjacent\n`,
      "ci/push.sh": `docker login -u deploy -p ${registry} registry.example.com\necho "$TOKEN" | docker login -u deploy --password-stdin ghcr.io\n`,
      "src/config.h": `#define WIFI_PASSWORD "${macro}"\n#define SN_auth_gost01 "AuthGOST01"\n`,
    });
    expect(findings.map((f) => [f.path, f.line, f.ruleId, f.secret])).toEqual([
      ["ci/push.sh", 1, "registry-login-password", registry],
      ["db/init.sql", 1, "sql-password", sql],
      ["db/init.sql", 2, "sql-password", postgres],
      ["src/config.h", 1, "generic-secret", macro],
    ]);
  });
});

describe("registry logins in a Docker config", () => {
  it("are reported as docker-config-auth in config.json, and inside a base64 .dockerconfigjson", async () => {
    const base64 = (text: string) => Buffer.from(text).toString("base64");
    const auth = base64(`deploy:${expandTemplate("{{alnum:20}}")}`);
    const config = JSON.stringify({ auths: { "registry.example.com": { auth } } }, null, 2);
    const findings = await scan({
      ".docker/config.json": `${config}\n`,
      // The Secret's value is base64 of a config whose auth is base64 again: the decoded
      // config's auth is the finding, in place of the by-place Kubernetes Secret rule's.
      "deploy/pull-secret.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${base64(config)}\n`,
    });
    expect(findings.map((f) => [f.path, f.line, f.ruleId, f.encoding, f.secret])).toEqual([
      [".docker/config.json", 4, "docker-config-auth", undefined, auth],
      ["deploy/pull-secret.yaml", 7, "docker-config-auth", "base64", auth],
    ]);
  });
});

describe("passwords in Redis commands and configs, .npmrc tokens and htpasswd files", () => {
  it("are reported where redis-cli, redis.conf, npm config set and .htpasswd hold them", async () => {
    const redisCli = expandTemplate("{{alnum:20}}");
    const requirepass = expandTemplate("{{alnum:24}}");
    const uuid = expandTemplate("{{uuid}}");
    const registryToken = expandTemplate("{{b64url:43}}");
    const bcrypt = `$2y$10$${expandTemplate("{{alnum:53}}")}`;
    const findings = await scan({
      "docker-compose.yml": `services:\n  cache:\n    image: redis:7\n    command: redis-server --requirepass ${requirepass}\n    healthcheck:\n      test: ["CMD", "redis-cli", "-a", "${redisCli}", "ping"]\n`,
      "setup.sh": `npm config set //registry.npmjs.org/:_authToken ${uuid}\n`,
      ".npmrc": `//verdaccio.internal:4873/:_authToken=${registryToken}\n`,
      ".htpasswd": `admin:${bcrypt}\n`,
    });
    expect(findings.map((f) => [f.path, f.line, f.ruleId, f.secret])).toEqual([
      [".htpasswd", 1, "htpasswd-hash", bcrypt],
      [".npmrc", 1, "npmrc-auth-token", registryToken],
      ["docker-compose.yml", 4, "redis-requirepass", requirepass],
      ["docker-compose.yml", 6, "redis-cli-password", redisCli],
      ["setup.sh", 1, "npm-legacy-token", uuid],
    ]);
  });
});
