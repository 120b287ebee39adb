import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandExample, expandTemplate } from "../../src/config/example-template.js";
import { FORMAT_NAMES } from "../../src/report/registry.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { type CliResult, runCli } from "../helpers/run-cli.js";

/**
 * The promise behind every format: a full secret never reaches a report unless the user says
 * --no-redact. Every scan format and `keywarden report` run on planted keys, and their output
 * is searched for each raw secret.
 */

const TEMPLATES = [
  "GITHUB_TOKEN=[[ghp_{{alnum:36}}]]",
  'LLAMA_API_KEY="[[LLM|{{digits:15}}|{{b64url:27}}]]"',
  "SLACK_BOT_TOKEN=[[xoxb-{{digits:12}}-{{digits:13}}-{{alnum:24}}]]",
];

/** How a format writes a secret: Markdown escapes the pipes a table cell cannot hold. */
function written(format: string, secret: string): string {
  return format === "markdown" ? secret.replace(/\|/g, "\\|") : secret;
}

function plant(dir: string): string[] {
  const secrets: string[] = [];
  TEMPLATES.forEach((template, index) => {
    const { text, markedSecret } = expandExample(template);
    secrets.push(markedSecret!);
    writeFileSync(join(dir, `file-${index}.env`), `# config\n${text}\n`);
  });
  return secrets;
}

interface FormatRun {
  readonly format: string;
  readonly redact: boolean;
  readonly result: CliResult;
}

/** Each format run twice: with the arguments `args` gives it, and with --no-redact added. */
function runEachWay(
  formats: readonly string[],
  args: (format: string) => string[],
  cwd: string,
): Promise<FormatRun[]> {
  return Promise.all(
    formats.flatMap((format) =>
      [true, false].map(async (redact) => ({
        format,
        redact,
        result: await runCli([...args(format), ...(redact ? [] : ["--no-redact"])], { cwd }),
      })),
    ),
  );
}

/** No secret in `output` in full, or, for a --no-redact run, every secret as the format writes it. */
function expectSecrets(output: string, secrets: readonly string[], run: FormatRun, label: string) {
  for (const secret of secrets) {
    if (run.redact) {
      expect(output, `${label} leaks ${secret.slice(0, 6)}…`).not.toContain(secret);
      expect(output, `${label} leaks ${secret.slice(0, 6)}…`).not.toContain(
        written(run.format, secret),
      );
    } else
      expect(output, `${label} --no-redact shows the secret`).toContain(
        written(run.format, secret),
      );
  }
}

describe("redaction in every format", () => {
  it("no scan format holds a full secret unless --no-redact", async () => {
    const repo = makeTempRepo();
    const secrets = plant(repo.dir);
    repo.commit("keys");
    expect(FORMAT_NAMES).toEqual(
      expect.arrayContaining([
        "text",
        "json",
        "jsonl",
        "sarif",
        "junit",
        "csv",
        "markdown",
        "github",
      ]),
    );

    const runs = await runEachWay(
      FORMAT_NAMES,
      (format) => ["scan", ".", "--format", format],
      repo.dir,
    );
    for (const run of runs) {
      expect(run.result.exitCode, `${run.format}: ${run.result.stderr}`).toBe(1);
      expectSecrets(run.result.stdout + run.result.stderr, secrets, run, run.format);
    }
  });

  it("keywarden report redacts a --no-redact JSON report again, unless asked not to", async () => {
    const dir = makeTempDir();
    const secrets = plant(dir);
    const saved = await runCli(
      ["scan", ".", "--format", "json", "--no-redact", "-o", "full.json"],
      { cwd: dir },
    );
    expect(saved.exitCode, saved.stderr).toBe(1);

    // Redacting again happens when the report is read, before any format: three formats show it.
    const formats = ["html", "sarif", "markdown"];
    const runs = await runEachWay(
      formats,
      (format) => ["report", "full.json", "--format", format],
      dir,
    );
    for (const run of runs) {
      expect(run.result.exitCode, `${run.format}: ${run.result.stderr}`).toBe(0);
      expectSecrets(run.result.stdout, secrets, run, `report --format ${run.format}`);
    }
  });

  it("keywarden report redacts again the companion secret a paired rule found on the line", async () => {
    const dir = makeTempDir();
    // A rule that reports a secret only beside a key id, which its helper rule finds.
    writeFileSync(
      join(dir, ".keywarden.yaml"),
      [
        "rules:",
        "  - id: pair-id",
        "    title: Pair key id",
        "    provider: pair",
        "    severity: high",
        "    pattern: 'pid_[A-Za-z0-9]{16}'",
        "    keywords: [pid_]",
        "    report: false",
        "  - id: pair-secret",
        "    title: Pair secret",
        "    provider: pair",
        "    severity: high",
        "    pattern: 'PAIR_SECRET=(?<secret>[A-Za-z0-9]{32})'",
        "    keywords: [pair_secret=]",
        "    requires: { rule: pair-id, within: 1 }",
        "",
      ].join("\n"),
    );
    const id = expandTemplate("pid_{{alnum:16}}");
    const secret = expandTemplate("{{alnum:32}}");
    writeFileSync(join(dir, "pair.env"), `PAIR_ID=${id} PAIR_SECRET=${secret}\n`);
    const saved = await runCli(
      ["scan", "pair.env", "--format", "json", "--no-redact", "-o", "full.json"],
      { cwd: dir },
    );
    expect(saved.exitCode, saved.stderr).toBe(1);

    const redacted = await runCli(["report", "full.json", "--format", "json"], { cwd: dir });
    expect(redacted.exitCode, redacted.stderr).toBe(0);
    const [finding] = JSON.parse(redacted.stdout).findings;
    expect(finding.ruleId).toBe("pair-secret");
    expect(finding.companion.ruleId).toBe("pair-id");
    expect(redacted.stdout).not.toContain(secret);
    expect(redacted.stdout).not.toContain(id);
    const full = await runCli(["report", "full.json", "--format", "json", "--no-redact"], {
      cwd: dir,
    });
    expect(JSON.parse(full.stdout).findings[0].companion.secret).toBe(id);
    expect(full.stdout).toContain(`PAIR_ID=${id} PAIR_SECRET=${secret}`);
  });

  it("keywarden report refuses what is not a JSON report, in one line", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "x.json"), '{"version": 1, "findings": [{"path": 3}]}');
    const result = await runCli(["report", "x.json"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /^keywarden: x\.json: not a keywarden JSON report \(at findings\.0\.ruleId: .*\n$/,
    );
    const missing = await runCli(["report", "nope.json"], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe("keywarden: nope.json: cannot read the report (no such file)\n");
  });
});

describe("every secret hidden in every finding's line", () => {
  /**
   * Two keys on one line, a Kubernetes Secret holding a key in base64, and a private key whose
   * body starts on its BEGIN line. `hidden` lists what must not show in a redacted report: both
   * keys, the encoded key, the start of its base64 (16 characters decode to the key's first 12,
   * more than any redaction shows), and the private key's body: an ed25519 key fits on one line.
   */
  function plantShared(dir: string): { hidden: string[]; full: string[] } {
    const pem = generateKeyPairSync("ed25519")
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const body = pem.split("\n")[1]!;
    writeFileSync(
      join(dir, "signing.env"),
      `SIGNING_KEY=-----BEGIN PRIVATE KEY-----${body}\n-----END PRIVATE KEY-----\n`,
    );
    const github = expandTemplate("ghp_{{alnum:36}}");
    const slack = expandTemplate("xoxb-{{digits:12}}-{{digits:13}}-{{alnum:24}}");
    const token = expandTemplate("ghp_{{alnum:36}}");
    const run = Buffer.from(token).toString("base64");
    writeFileSync(join(dir, "config.json"), `{"github": "${github}", "slack": "${slack}"}\n`);
    writeFileSync(
      join(dir, "secret.yaml"),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  token: ${run}\n`,
    );
    return {
      hidden: [github, slack, token, run.slice(0, 16), body],
      full: [github, slack, run, body],
    };
  }

  function expectHidden(output: string, hidden: readonly string[], label: string) {
    for (const text of hidden)
      expect(output, `${label} leaks ${text.slice(0, 6)}…`).not.toContain(text);
  }

  it("no scan format shows the other key of a shared line or a key's base64", async () => {
    const dir = makeTempDir();
    const { hidden, full } = plantShared(dir);
    const runs = await Promise.all(
      FORMAT_NAMES.flatMap((format) =>
        [[], ["--redact=100"], ["--no-redact"]].map(async (flags) => ({
          format,
          flags,
          result: await runCli(["scan", ".", "--format", format, ...flags], { cwd: dir }),
        })),
      ),
    );
    for (const { format, flags, result } of runs) {
      const label = `${format} ${flags.join(" ")}`;
      expect(result.exitCode, `${label}: ${result.stderr}`).toBe(1);
      if (flags[0] !== "--no-redact") expectHidden(result.stdout + result.stderr, hidden, label);
    }
    // --no-redact still shows each line whole, the base64 included.
    const json = runs.find((run) => run.format === "json" && run.flags[0] === "--no-redact")!;
    for (const text of full) expect(json.result.stdout).toContain(text);
    const findings = JSON.parse(json.result.stdout).findings;
    expect(findings.filter((f: { encoding?: string }) => f.encoding === "base64")).toHaveLength(1);
  });

  it("keywarden report hides them in every format it writes from a --no-redact report", async () => {
    const dir = makeTempDir();
    const { hidden, full } = plantShared(dir);
    const saved = await runCli(
      ["scan", ".", "--format", "json", "--no-redact", "-o", "full.json"],
      { cwd: dir },
    );
    expect(saved.exitCode, saved.stderr).toBe(1);
    const runs = await Promise.all(
      ["html", "json", "sarif", "junit"].flatMap((format) =>
        [[], ["--redact=100"]].map(async (flags) => ({
          label: `report --format ${format} ${flags.join(" ")}`,
          result: await runCli(["report", "full.json", "--format", format, ...flags], {
            cwd: dir,
          }),
        })),
      ),
    );
    for (const { label, result } of runs) {
      expect(result.exitCode, `${label}: ${result.stderr}`).toBe(0);
      expectHidden(result.stdout, hidden, label);
    }
    const kept = await runCli(["report", "full.json", "--format", "json", "--no-redact"], {
      cwd: dir,
    });
    for (const text of full) expect(kept.stdout).toContain(text);
  });
});
