import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { compileRules } from "../../src/config/compile-rules.js";
import { expandExample, expandTemplate } from "../../src/config/example-template.js";
import { readBuiltinRuleSources } from "../../src/config/read-rule-files.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { BIN, nobodyEnv, runCli } from "../helpers/run-cli.js";

interface JsonReport {
  version: number;
  findings: {
    ruleId: string;
    path: string;
    line: number;
    column: number;
    secret: string;
    fingerprint: string;
    encoding?: string;
  }[];
  summary: { scannedBytes: number; skipped: { path: string; reason: string; detail?: string }[] };
}

interface SarifLocation {
  uri: string;
  uriBaseId?: string;
}

const rules = compileRules(readBuiltinRuleSources()).filter((rule) => rule.report);
const EXTENSIONS = [".env", ".yaml", ".json", ".py", ".ts", ".sh", ".md", ".tf", ".ipynb"];

/** Text that looks random but is no secret: every scanner's false-positive diet. */
function nonSecrets(): Record<string, string> {
  const sha = expandTemplate("{{hex:40}}");
  return {
    "package-lock.json": JSON.stringify(
      {
        name: "app",
        lockfileVersion: 3,
        packages: {
          "node_modules/left-pad": {
            version: "1.3.0",
            resolved: "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
            integrity: `sha512-${Buffer.from(expandTemplate("{{alnum:64}}")).toString("base64")}`,
          },
        },
      },
      null,
      2,
    ),
    "CHANGELOG.md": `## 1.2.0\n\n- fix parser (${sha})\n- merged ${sha.slice(0, 12)}\n- request id ${expandTemplate("{{uuid}}")}\n`,
    Dockerfile: `FROM node:20@sha256:${expandTemplate("{{hex:64}}")}\nRUN npm ci\n`,
    "docs/setup.md": [
      "Set your keys:",
      "",
      "    OPENAI_API_KEY=sk-proj-...",
      "    LLAMA_API_KEY=LLM|607358788850350|nx9.....LJY",
      "    GITHUB_TOKEN=<your-token>",
      "    AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
      "    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell reference, on purpose
      "    STRIPE_KEY=${STRIPE_SECRET_KEY}",
      "    TOGETHER_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "",
    ].join("\n"),
    "web/logo.html": `<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk${expandTemplate("{{alnum:40}}")}AAAAASUVORK5CYII=">\n`,
  };
}

describe("keywarden scan", () => {
  it("finds a planted key of every rule at its line, and nothing in the non-secrets around them", async () => {
    const dir = makeTempDir();
    const planted: { ruleId: string; path: string; line: number }[] = [];
    const files: Record<string, string> = nonSecrets();
    rules.forEach((rule, index) => {
      const example = rule.raw.examples.match[0]!;
      const template = typeof example === "string" ? example : example.text;
      const examplePath = typeof example === "string" ? undefined : example.path;
      const { text } = expandExample(template);
      const path = examplePath ?? `planted/${rule.id}${EXTENSIONS[index % EXTENSIONS.length]}`;
      const before = "# config\nname = demo\n\n";
      files[path] = `${files[path] ?? ""}${before}${text}\nend = true\n`;
      planted.push({ ruleId: rule.id, path, line: before.split("\n").length });
    });
    for (const [path, content] of Object.entries(files)) {
      const absolute = join(dir, path);
      await import("node:fs").then((fs) => fs.mkdirSync(join(absolute, ".."), { recursive: true }));
      writeFileSync(absolute, content);
    }

    const result = await runCli(["scan", ".", "--format", "json", "--no-redact"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    for (const expected of planted) {
      expect(
        report.findings.some(
          (f) =>
            f.ruleId === expected.ruleId && f.path === expected.path && f.line >= expected.line,
        ),
        `${expected.ruleId} in ${expected.path}`,
      ).toBe(true);
    }
    const falsePositives = report.findings.filter(
      (f) => !f.path.startsWith("planted/") && !planted.some((p) => p.path === f.path),
    );
    expect(falsePositives).toEqual([]);
  });

  it("finds keys in a minified one-line bundle, a notebook and a base64 Kubernetes Secret", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    const filler = "function a(b){return b*2}var c=[1,2,3].map(a);".repeat(3000);
    writeFileSync(join(dir, "bundle.min.js"), `${filler}const k="${key}";${filler}`);
    const notebook = JSON.stringify(
      {
        cells: [
          {
            cell_type: "code",
            source: [`import os\n`, `os.environ["LLAMA_API_KEY"] = "${key}"\n`],
          },
        ],
      },
      null,
      1,
    );
    writeFileSync(join(dir, "nb.ipynb"), notebook);
    const notebookLine = notebook.split("\n").findIndex((line) => line.includes(key)) + 1;
    writeFileSync(
      join(dir, "secret.yaml"),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: llama\ntype: Opaque\ndata:\n  LLAMA_API_KEY: ${Buffer.from(key).toString("base64")}\n`,
    );
    const result = await runCli(["scan", dir, "--format", "json", "--no-redact"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const findings = (JSON.parse(result.stdout) as JsonReport).findings;
    expect(
      findings.map((f) => [f.path.split("/").pop(), f.line, f.secret, f.encoding ?? null]).sort(),
    ).toEqual(
      [
        ["bundle.min.js", 1, key, null],
        ["nb.ipynb", notebookLine, key, null],
        ["secret.yaml", 7, key, "base64"],
      ].sort(),
    );
  });

  it("redacts secrets unless --no-redact, in text and JSON, and writes --output files", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    writeFileSync(join(dir, ".env"), `LLAMA_API_KEY=${key}\n`);
    for (const format of ["text", "json"]) {
      const result = await runCli(["scan", ".", "--format", format], { cwd: dir });
      expect(result.exitCode).toBe(1);
      expect(result.stdout + result.stderr).not.toContain(key);
      expect(result.stdout).toContain(key.slice(0, 6));
    }
    const full = await runCli(["scan", ".", "--format", "json", "--redact=0"], { cwd: dir });
    expect(full.stdout).toContain(key);
    const hidden = await runCli(
      ["scan", ".", "--format", "json", "--redact=100", "--output", "out/report.json"],
      { cwd: dir },
    );
    expect(hidden.stdout).toBe("");
    const written = readFileSync(join(dir, "out/report.json"), "utf8");
    expect(written).not.toContain(key.slice(0, 6));
    expect((JSON.parse(written) as JsonReport).findings[0]!.secret).toBe("REDACTED");
    // Given twice, the last one counts.
    const last = async (...flags: string[]) =>
      (
        JSON.parse(
          (await runCli(["scan", ".", "--format", "json", ...flags], { cwd: dir })).stdout,
        ) as JsonReport
      ).findings[0]!.secret;
    expect(await last("--redact=100", "--no-redact")).toBe(key);
    expect(await last("--no-redact", "--redact=100")).toBe("REDACTED");
  });

  it("writes JSON lines: one line per finding, the JSON report's, and nothing when clean", async () => {
    const dir = makeTempDir();
    writeFileSync(
      join(dir, "a.env"),
      `LLAMA_API_KEY=${expandExample("LLM|{{digits:15}}|{{b64url:27}}").text}\n`,
    );
    writeFileSync(join(dir, "b.env"), `GITHUB_TOKEN=${expandTemplate("ghp_{{alnum:36}}")}\n`);
    const lines = await runCli(["scan", ".", "--format", "jsonl"], { cwd: dir });
    const json = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
    expect(lines.exitCode).toBe(1);
    const records = lines.stdout.trimEnd().split("\n");
    expect(records).toHaveLength(2);
    expect(records.map((line) => JSON.parse(line))).toEqual(JSON.parse(json.stdout).findings);
    // The summary the lines do not hold is one line on stderr.
    expect(lines.stderr).toMatch(
      /^keywarden: 2 findings \(2 distinct secrets\): 2 files .* in \d+ ms\.\n$/,
    );
    const clean = makeTempDir();
    writeFileSync(join(clean, "a.txt"), "nothing here\n");
    const none = await runCli(["scan", ".", "--format", "jsonl"], { cwd: clean });
    expect(none).toMatchObject({ exitCode: 0, stdout: "" });
    expect(none.stderr).toMatch(/^keywarden: No secrets found/);
  });

  it("exits 0 on a clean tree and honours .gitignore and config excludes", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const repo = makeTempRepo({
      ".gitignore": "build/\n",
      "build/out.env": `K=${key}\n`,
      "vendor/lib.env": `K=${key}\n`,
      ".keywarden.yaml": "exclude: ['vendor/**']\n",
      "src/app.ts": "export const x = 1;\n",
    });
    const clean = await runCli(["scan"], { cwd: repo.dir });
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain("No secrets found");
    const all = await runCli(["scan", "--no-gitignore", "--format", "json"], { cwd: repo.dir });
    expect((JSON.parse(all.stdout) as JsonReport).findings.map((f) => f.path)).toEqual([
      "build/out.env",
    ]);
  });

  it("honours git's global ignore file (core.excludesFile, or its default) as git does", async () => {
    const key = () => expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const home = makeTempDir();
    const repo = makeTempRepo({
      "local.env": `K=${key()}\n`,
      "sub/scratch.txt": `K=${key()}\n`,
      "sub/.gitignore": "!kept.env\n",
      "sub/kept.env": `K=${key()}\n`,
      "app.txt": `K=${key()}\n`,
    });
    const env = { HOME: home, XDG_CONFIG_HOME: "" };
    const paths = async (cwd: string, globalConfig?: string) => {
      const result = await runCli(["scan", ".", "--format", "json"], {
        cwd,
        env: { ...env, ...(globalConfig ? { GIT_CONFIG_GLOBAL: globalConfig } : {}) },
      });
      expect(result.stderr).toBe("");
      return (JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.path).sort();
    };
    // Git's default, ~/.config/git/ignore (no XDG_CONFIG_HOME); .gitignore takes a file back.
    mkdirSync(join(home, ".config/git"), { recursive: true });
    writeFileSync(join(home, ".config/git/ignore"), "*.env\n");
    expect(await paths(repo.dir)).toEqual(["app.txt", "sub/kept.env", "sub/scratch.txt"]);
    // core.excludesFile named in the global config, with a ~; a subfolder scan reads it too.
    writeFileSync(join(home, "my-ignore"), "scratch.*\n");
    const config = join(home, "gitconfig");
    writeFileSync(config, "[core]\n\texcludesFile = ~/my-ignore\n");
    expect(await paths(repo.dir, config)).toEqual(["app.txt", "local.env", "sub/kept.env"]);
    expect(await paths(join(repo.dir, "sub"), config)).toEqual(["kept.env"]);
  });

  it("reads the config's globs from the config's folder, wherever the scan is run from", async () => {
    const key = () => expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const kept = key();
    const repo = makeTempRepo({
      ".keywarden.yaml": [
        "exclude: ['vendor/**']",
        "allow:",
        "  paths: ['test/fixtures/**']",
        "rules:",
        "  - id: infra-token",
        "    title: Infra token",
        "    provider: acme",
        "    pattern: '(?<secret>infra_[a-z0-9]{24})'",
        "    keywords: [infra_]",
        "    paths:",
        "      include: ['infra/*.tf']",
        "",
      ].join("\n"),
      "test/fixtures/sample.env": `K=${key()}\n`,
      "vendor/lib.env": `K=${key()}\n`,
      "infra/main.tf": `token = "${expandTemplate("infra_{{lower:12}}{{digits:12}}")}"\n`,
      "app.env": `K=${kept}\n`,
    });
    const findings = async (cwd: string, ...paths: string[]) => {
      const result = await runCli(["scan", ...paths, "--format", "json"], { cwd });
      return (JSON.parse(result.stdout) as JsonReport).findings.map((f) => [f.ruleId, f.path]);
    };
    const inside = await findings(repo.dir);
    expect(inside).toEqual([
      ["meta-llama-api-key", "app.env"],
      ["infra-token", "infra/main.tf"],
    ]);
    const parent = join(repo.dir, "..");
    const name = repo.dir.slice(parent.length + 1);
    expect(await findings(parent, name)).toEqual(
      inside.map(([rule, path]) => [rule, `${name}/${path}`]),
    );
    expect(await findings(parent, `${name}/vendor`, `${name}/test`)).toEqual([]);
  });

  it("skips binary and oversized files with a notice, and scans invalid UTF-8 text", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    // Binary through and through (its bytes as random as compressed pixels), key and all: a
    // few NUL bytes before mostly text would not make a file binary.
    writeFileSync(
      join(dir, "image.bin"),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x00, 0x01]), randomBytes(600), Buffer.from(key)]),
    );
    writeFileSync(join(dir, "big.log"), `${"x".repeat(2048)}\n${key}\n`);
    writeFileSync(
      join(dir, "legacy.ini"),
      Buffer.concat([Buffer.from("name=caf\xe9\n", "latin1"), Buffer.from(`key=${key}\n`)]),
    );
    const result = await runCli(["scan", ".", "--max-file-size", "1KB", "--format", "json"], {
      cwd: dir,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("skipped 1 file: binary");
    expect(result.stderr).toMatch(/skipped 1 file: over --max-file-size\n {2}big\.log/);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([["legacy.ini", 2]]);
    expect(report.summary.skipped.map((s) => s.reason).sort()).toEqual(["binary", "too-large"]);
  });

  it("lists a text larger than one string can hold as unreadable under --max-file-size 0", async () => {
    const dir = makeTempDir();
    // Text, then a sparse 600 MB that takes no disk: read past by its size, not read whole.
    writeFileSync(join(dir, "huge.log"), "log line\n".repeat(1000));
    truncateSync(join(dir, "huge.log"), 600 * 1024 * 1024);
    // A binary file that long is binary, as a shorter one is.
    writeFileSync(join(dir, "huge.bin"), randomBytes(9000));
    truncateSync(join(dir, "huge.bin"), 600 * 1024 * 1024);
    const result = await runCli(["scan", ".", "--max-file-size", "0", "--format", "json"], {
      cwd: dir,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /skipped 1 file: unreadable\n {2}huge\.log \(629145600 bytes, more than one text can hold/,
    );
    expect(result.stderr).not.toContain("internal error");
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.summary.skipped.map((s) => [s.path, s.reason]).sort()).toEqual([
      ["huge.bin", "binary"],
      ["huge.log", "unreadable"],
    ]);
  });

  it("names the repository in SARIF without the credentials of its remote URL", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const repo = makeTempRepo({ ".env": `LLAMA_API_KEY=${key}\n` });
    const head = repo.commit("one");
    const password = expandTemplate("{{alnum:20}}");
    repo.git("remote", "add", "origin", `https://deploy:${password}@git.example.test/org/app.git`);
    const result = await runCli(["scan", ".", "--format", "sarif"], { cwd: repo.dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain(password);
    const sarif = JSON.parse(result.stdout) as {
      runs: {
        versionControlProvenance: { repositoryUri: string; revisionId: string; branch?: string }[];
      }[];
    };
    expect(sarif.runs[0]!.versionControlProvenance[0]).toMatchObject({
      repositoryUri: "https://git.example.test/org/app.git",
      revisionId: head,
    });
  });

  it("gives SARIF results in a second repository named alongside a URI of their own", async () => {
    const parent = makeTempDir();
    const keys = { one: "", two: "" };
    for (const name of ["one", "two"] as const) {
      keys[name] = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
      mkdirSync(join(parent, name));
      execFileSync("git", ["init", "-q"], { cwd: join(parent, name) });
      writeFileSync(join(parent, name, `${name}.env`), `LLAMA_API_KEY=${keys[name]}\n`);
    }
    const result = await runCli(["scan", "one", "two", "--format", "sarif"], { cwd: parent });
    expect(result.exitCode).toBe(1);
    const run = JSON.parse(result.stdout).runs[0] as {
      originalUriBaseIds: Record<string, { uri: string }>;
      results: { locations: { physicalLocation: { artifactLocation: SarifLocation } }[] }[];
    };
    // Each URI, resolved as a SARIF viewer does, names the file that holds the key: a relative
    // `two/two.env` under %SRCROOT% (the first repository's top) would name one/two/two.env.
    const files = run.results.map(({ locations }) => {
      const { uri, uriBaseId } = locations[0]!.physicalLocation.artifactLocation;
      return fileURLToPath(
        new URL(uri, uriBaseId ? run.originalUriBaseIds[uriBaseId]!.uri : undefined),
      );
    });
    expect(files.map((file) => realpathSync(file)).sort()).toEqual(
      [join(parent, "one/one.env"), join(parent, "two/two.env")].map((file) => realpathSync(file)),
    );
  });

  it("honours keywarden:allow comments on the line, in any comment syntax", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    writeFileSync(join(dir, "a.py"), `KEY = "${key}"  # keywarden:allow test fixture\n`);
    writeFileSync(join(dir, "b.ts"), `const key = "${key}"; // keywarden:allow\n`);
    const allowed = await runCli(["scan", "."], { cwd: dir });
    expect(allowed.exitCode).toBe(0);
    writeFileSync(join(dir, "c.env"), `LLAMA_API_KEY=${key} # keywarden:allowed-not-a-marker\n`);
    const reported = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
    expect(reported.exitCode).toBe(1);
    expect((JSON.parse(reported.stdout) as JsonReport).findings.map((f) => f.path)).toEqual([
      "c.env",
    ]);
  });

  it("reads symbolic links to files, and reports links it does not follow", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    const { mkdirSync, symlinkSync } = await import("node:fs");
    mkdirSync(join(dir, "real"));
    writeFileSync(join(dir, "real/.env"), `LLAMA_API_KEY=${key}\n`);
    symlinkSync("real/.env", join(dir, "linked.env"));
    symlinkSync("real", join(dir, "folder-link"));
    symlinkSync("missing", join(dir, "broken"));
    symlinkSync("loop", join(dir, "loop"));
    const result = await runCli(["scan", ".", "--format", "json", "--verbose"], { cwd: dir });
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => f.path).sort()).toEqual(["linked.env", "real/.env"]);
    expect(result.stderr).toContain("broken (broken link)");
    expect(result.stderr).toContain("loop (link loop)");
    expect(result.stderr).toContain("folder-link (link to a folder, not followed)");
  });

  it.skipIf(process.platform === "win32")(
    "skips a FIFO with a notice, in a folder and named on the command line, and scans the rest",
    async () => {
      const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
      const dir = makeTempDir();
      writeFileSync(join(dir, "a.env"), `LLAMA_API_KEY=${key}\n`);
      const fifo = join(dir, "build.pipe");
      execFileSync("mkfifo", [fifo]);
      // Opening a FIFO waits for a writer: should the scan open it, this writer comes along
      // after a few seconds, so the test fails instead of hanging.
      const watchdog = setInterval(() => {
        try {
          closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // ENXIO: nobody is reading it.
        }
      }, 3000);
      onTestFinished(() => clearInterval(watchdog));
      const folder = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
      expect(folder.exitCode).toBe(1);
      expect(folder.stderr).toContain("not a regular file");
      const report = JSON.parse(folder.stdout) as JsonReport;
      expect(report.findings.map((f) => f.path)).toEqual(["a.env"]);
      expect(report.summary.skipped).toEqual([
        { path: "build.pipe", reason: "not-a-file", detail: "FIFO" },
      ]);
      const named = await runCli(["scan", "build.pipe"], { cwd: dir });
      expect(named.exitCode).toBe(0);
      expect(named.stderr).toContain("not a regular file");
    },
  );

  it.skipIf(process.platform === "win32")(
    "reads no ignore rules from a FIFO named .gitignore, and does not wait on it",
    async () => {
      const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
      const dir = makeTempDir();
      execFileSync("git", ["init", "-q"], { cwd: dir });
      mkdirSync(join(dir, "sub"));
      writeFileSync(join(dir, "sub", "a.env"), `LLAMA_API_KEY=${key}\n`);
      for (const fifo of [".gitignore", "sub/.gitignore"]) {
        execFileSync("mkfifo", [join(dir, fifo)]);
      }
      const result = await runCli(["scan", ".", "--format", "json"], {
        cwd: dir,
        timeoutMs: 15_000,
      });
      expect(result.exitCode).toBe(1);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.findings.map((f) => f.path)).toEqual(["sub/a.env"]);
    },
    20_000,
  );

  it.skipIf(process.platform === "win32")(
    "reports a folder it cannot list, still scans the rest, and calls the scan incomplete",
    async () => {
      const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
      const dir = makeTempDir();
      writeFileSync(join(dir, "ok.env"), `LLAMA_API_KEY=${key}\n`);
      writeFileSync(join(dir, ".gitignore"), "cache/\n");
      // A config's folder pattern, read from the config's folder, leaves one out too.
      writeFileSync(join(dir, ".keywarden.yaml"), "exclude: ['locked/']\n");
      mkdirSync(join(dir, "private"));
      mkdirSync(join(dir, "cache"));
      mkdirSync(join(dir, "locked"));
      const env = nobodyEnv(dir, 0o755);
      chmodSync(join(dir, "private"), 0);
      chmodSync(join(dir, "cache"), 0);
      chmodSync(join(dir, "locked"), 0);
      try {
        const result = await runCli(["scan", ".", "--format", "json"], { cwd: dir, env });
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toMatch(/skipped 1 file: unreadable\n {2}private \(EACCES/);
        expect(result.stderr).toContain("incomplete scan");
        const report = JSON.parse(result.stdout) as JsonReport;
        expect(report.findings.map((f) => f.path)).toEqual(["ok.env"]);
        // A folder .gitignore or the config leaves out is no loss.
        expect(report.summary.skipped).toEqual([
          expect.objectContaining({ path: "private", reason: "unreadable" }),
        ]);
      } finally {
        chmodSync(join(dir, "private"), 0o755);
        chmodSync(join(dir, "cache"), 0o755);
        chmodSync(join(dir, "locked"), 0o755);
      }
    },
  );

  it("finds keys in UTF-16 text with a byte-order mark, at their lines and columns", async () => {
    const key = expandExample("LLM|{{digits:15}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    const text = `# café\r\nLLAMA_API_KEY=${key}\r\n`;
    writeFileSync(join(dir, "le.env"), Buffer.from(`\ufeff${text}`, "utf16le"));
    writeFileSync(join(dir, "be.env"), Buffer.from(`\ufeff${text}`, "utf16le").swap16());
    const result = await runCli(["scan", ".", "--format", "json", "--no-redact"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(1);
    const findings = (JSON.parse(result.stdout) as JsonReport).findings;
    expect(findings.map((f) => [f.path, f.line, f.column, f.secret])).toEqual([
      ["be.env", 2, 15, key],
      ["le.env", 2, 15, key],
    ]);
  });

  it("answers bad input with one line and exit 2", async () => {
    const dir = makeTempDir();
    const cases: [string[], string, RegExp][] = [
      [["scan", "--frobnicate"], "", /Unknown argument: --frobnicate\n/],
      [["scan", "missing-dir"], "", /missing-dir: no such file or directory/],
      [["scan", "--redact=150"], "", /--redact: "150" is not a percentage/],
      [
        ["scan", "--config", "nope.yaml"],
        "",
        /nope\.yaml: cannot read config file \(no such file\)/,
      ],
      [
        ["scan", "--config", ".gitleaks.toml"],
        "",
        /^keywarden: \.gitleaks\.toml: keywarden's config is YAML; convert a gitleaks config with: keywarden import gitleaks \.gitleaks\.toml\n/,
      ],
    ];
    for (const [args, , pattern] of cases) {
      const result = await runCli(args, { cwd: dir });
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    writeFileSync(
      join(dir, ".keywarden.yaml"),
      "disable: [no-such-rule]\nallow:\n  secrets: ['(']\n",
    );
    const badConfig = await runCli(["scan"], { cwd: dir });
    expect(badConfig.exitCode).toBe(2);
    expect(badConfig.stderr.trim().split("\n")[0]).toMatch(
      /^keywarden: \.keywarden\.yaml:1: field disable: no rule with id "no-such-rule"/,
    );
    writeFileSync(
      join(dir, ".keywarden.yaml"),
      "rules:\n  - id: Bad_Id\n    title: t\n    provider: p\n    pattern: 'x+'\n    keywords: [xx]\n",
    );
    const badRule = await runCli(["scan"], { cwd: dir });
    expect(badRule.exitCode).toBe(2);
    expect(badRule.stderr).toMatch(
      /\.keywarden\.yaml:2: rule Bad_Id field id: must be lowercase words/,
    );
    writeFileSync(
      join(dir, ".keywarden.yaml"),
      "useDefault: false\nrules:\n  - id: ok-id\n    title: t\n    provider: p\n    pattern: '(?<secret>abc'\n    keywords: [abc]\n",
    );
    const badInlineRegex = await runCli(["scan"], { cwd: dir });
    expect(badInlineRegex.exitCode).toBe(2);
    expect(badInlineRegex.stderr).toMatch(
      /^keywarden: \.keywarden\.yaml:6: rule ok-id field pattern: invalid regular expression: .*\n$/,
    );
    writeFileSync(
      join(dir, "rules.yaml"),
      "rules:\n  - id: ok-id\n    title: t\n    provider: p\n    pattern: '(unclosed'\n    keywords: [abc]\n    remediation: r\n    examples: {match: [a], nomatch: [b]}\n",
    );
    const badRuleFile = await runCli(["scan", "--rules", "rules.yaml", "--config", "/dev/null"], {
      cwd: dir,
    });
    expect(badRuleFile.exitCode).toBe(2);
    expect(badRuleFile.stderr).toMatch(
      /^keywarden: rules\.yaml:5: rule ok-id field pattern: invalid regular expression/,
    );
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("keywarden scan of paths that overlap", () => {
  it("reads a file named twice, or named inside a folder named too, once", async () => {
    const dir = makeTempDir();
    const key = expandExample("LLM|{{digits:16}}|{{b64url:27}}").text;
    writeFileSync(join(dir, ".env"), `LLAMA_API_KEY=${key}\n`);
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "app.env"), `LLAMA_API_KEY=${key}\n`);
    const both = [".env", "sub/app.env"];
    for (const [paths, expected] of [
      [[".", ".env"], both],
      [[".env", "./.env"], [".env"]],
      [[".env", "."], both],
      [[".", "sub", "sub/app.env", "."], both],
    ]) {
      const result = await runCli(["scan", ...paths!, "--format", "json"], { cwd: dir });
      expect(result.exitCode, paths!.join(" ")).toBe(1);
      const report = JSON.parse(result.stdout) as JsonReport & {
        summary: { scannedFragments: number };
      };
      expect(
        report.findings.map((finding) => finding.path),
        paths!.join(" "),
      ).toEqual(expected);
      expect(report.summary.scannedFragments, paths!.join(" ")).toBe(expected!.length);
    }
    const sarif = await runCli(["scan", ".", ".env", "--format", "sarif"], { cwd: dir });
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(2);
  });
});

describe("keywarden stdin", () => {
  it("scans standard input under the given path", async () => {
    const key = expandExample("LLM|{{digits:16}}|{{b64url:27}}").text;
    const dir = makeTempDir();
    const result = await runCli(
      ["stdin", "--path", "app/.env", "--format", "json", "--no-redact"],
      {
        cwd: dir,
        input: `A=1\nLLAMA_API_KEY=${key}\n`,
      },
    );
    expect(result.exitCode).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).findings[0]).toMatchObject({
      path: "app/.env",
      line: 2,
      secret: key,
    });
    const utf16 = await runCli(["stdin", "--format", "json"], {
      cwd: dir,
      input: Buffer.from(`\ufeffA=1\r\nLLAMA_API_KEY=${key}\r\n`, "utf16le"),
    });
    expect(utf16.exitCode).toBe(1);
    expect((JSON.parse(utf16.stdout) as JsonReport).findings[0]).toMatchObject({ line: 2 });
    const clean = await runCli(["stdin"], { cwd: dir, input: "nothing to see\n" });
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toMatch(/^No secrets found: standard input \(0\.00 MB\)/);
  });

  it("scans a long stream in pieces of a few megabytes, every line at its number", async () => {
    const keys = [1, 2, 3].map(() => expandExample("LLM|{{digits:16}}|{{b64url:27}}").text);
    // 160,000 lines of about 70 bytes: 11 MB, three pieces of at most 4 MB.
    const lines = Array.from(
      { length: 160_000 },
      (_, i) => `2026-11-22T10:00:00Z INFO request ${i} served in ${i % 97} ms from cache`,
    );
    const at = [3, 59_917, 159_999];
    for (const [i, line] of at.entries()) lines[line] = `token=${keys[i]}`;
    const input = `${lines.join("\n")}\n`;
    const result = await runCli(["stdin", "--format", "json", "--no-redact"], {
      cwd: makeTempDir(),
      input,
    });
    expect(result.exitCode).toBe(1);
    const { findings, summary } = JSON.parse(result.stdout) as JsonReport;
    expect(findings.map((finding) => [finding.line, finding.secret])).toEqual(
      at.map((line, i) => [line + 1, keys[i]]),
    );
    // The lines read again before each piece are not counted again.
    expect(summary.scannedBytes).toBe(input.length);
  });

  it("cuts a line over 64 MB where no key stands, keeps its columns, and calls the scan incomplete", async () => {
    const together = expandTemplate("tgp_v1_{{b64url:43}}");
    const llama = expandExample("LLM|{{digits:16}}|{{b64url:27}}").text;
    // The Together key stands across the 64 MB mark; the Llama key lies past it.
    const head = `${"x".repeat(2 ** 26 - 20)} TOGETHER_API_KEY=`;
    const middle = ` ${"y".repeat(1000)} LLAMA_API_KEY=`;
    const result = await runCli(["stdin", "--format", "json"], {
      cwd: makeTempDir(),
      input: `${head}${together}${middle}${llama}\n`,
    });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(
      "cut 1 line too long to read whole: a key across the cut may be missed\n  <stdin> (line 1 is over 64 MB: cut at column 67108846)",
    );
    expect(result.stderr).toContain("keywarden: incomplete scan: 1 line was cut (listed above)");
    const { findings, summary } = JSON.parse(result.stdout) as JsonReport;
    const llamaColumn = head.length + together.length + middle.length + 1;
    expect(findings.map((finding) => [finding.ruleId, finding.line, finding.column])).toEqual([
      ["together-api-key", 1, head.length + 1],
      ["meta-llama-api-key", 1, llamaColumn],
    ]);
    expect(summary.skipped.map((notice) => notice.reason)).toEqual(["line-cut"]);
    expect(result.stdout).not.toContain(together.slice(12));
    expect(result.stdout).not.toContain(llama.slice(-12));
  });
  it("finds a private key block longer than the lines read again across a cut, once", async () => {
    const body = [expandTemplate("MIISKAIBAAKCBAEA{{b64:48}}")];
    for (let i = 0; i < 98; i++) body.push(expandTemplate("{{b64:64}}"));
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${body.join("\n")}\n-----END RSA PRIVATE KEY-----\n`;
    const filler = "2026-11-22T10:00:00Z INFO request path=/api/v1/items status=200 took=12ms\n";
    // 90 of the key's lines before the first 4 MB cut, the rest after it.
    const keyHead = key.split("\n").slice(0, 90).join("\n").length + 1;
    const before = Math.floor((4 * 1024 * 1024 - keyHead) / filler.length);
    const result = await runCli(["stdin", "--format", "json"], {
      cwd: makeTempDir(),
      input: `${filler.repeat(before)}${key}${filler.repeat(1000)}`,
    });
    expect(result.exitCode, result.stderr).toBe(1);
    const { findings } = JSON.parse(result.stdout) as JsonReport;
    expect(findings.map((finding) => [finding.ruleId, finding.line])).toEqual([
      ["private-key", before + 1],
    ]);
  });

  it("reads a stream holding NUL bytes as text, as a log with binary frame headers", async () => {
    const key = expandExample("LLM|{{digits:16}}|{{b64url:27}}").text;
    const header = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0x1a]);
    const lines = Array.from({ length: 2000 }, (_, i) => `step ${i} ok\n`).join("");
    const result = await runCli(["stdin", "--format", "json", "--no-redact"], {
      cwd: makeTempDir(),
      input: Buffer.concat([header, Buffer.from(`build started\n${lines}LLAMA_API_KEY=${key}\n`)]),
    });
    expect(result.exitCode, result.stderr).toBe(1);
    const { findings, summary } = JSON.parse(result.stdout) as JsonReport;
    expect(findings.map((finding) => [finding.line, finding.secret])).toEqual([[2002, key]]);
    expect(summary.skipped).toEqual([]);
  });

  it("refuses a folder as standard input in one line, rather than pass it as clean", async () => {
    const dir = makeTempDir();
    const { spawnSync } = await import("node:child_process");
    // `keywarden stdin < folder`: the shell opens the folder for reading.
    const result = spawnSync(
      "sh",
      ["-c", `"$1" "$2" stdin < "$3"`, "sh", process.execPath, BIN, dir],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "keywarden: standard input is a folder: give keywarden stdin a file or a pipe, or scan the folder with keywarden scan\n",
    );
  });

  it("takes no value holding a control byte for a secret, as a binary's string table has them", async () => {
    // A compiler's strings: NUL-separated names, one of them `Token:`.
    const table = ["backchain", "jnle", "Token:", "vector-packed-decimal-enhancement", "vector-3"];
    const result = await runCli(["stdin", "--format", "json"], {
      cwd: makeTempDir(),
      input: `${table.join("\0")}\0`,
    });
    expect(result.exitCode, result.stdout).toBe(0);
  });
});

describe("keywarden rules", () => {
  it("tests every built-in rule's examples", async () => {
    const result = await runCli(["rules", "test"], { cwd: makeTempDir() });
    expect(result.stdout).toMatch(/ 0 problems\n$/);
    expect(result.exitCode).toBe(0);
  });

  it("fails a rule file whose examples do not hold, naming file, line and rule", async () => {
    const dir = makeTempDir();
    writeFileSync(
      join(dir, "mine.yaml"),
      "rules:\n  - id: mine\n    title: t\n    provider: p\n    pattern: 'mine_[a-z]{8}'\n    keywords: [mine_]\n    remediation: r\n    examples:\n      match: ['mine_{{digits:8}}']\n      nomatch: ['mine_{{lower:8}}']\n",
    );
    // The folder's own config, broken here, plays no part in testing rule files.
    writeFileSync(join(dir, ".keywarden.yaml"), "rules: [\n");
    const result = await runCli(["rules", "test", "mine.yaml"], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toContain("mine.yaml:2: rule mine: examples.match[0] is not reported");
    expect(result.stdout).toContain("mine.yaml:2: rule mine: examples.nomatch[0] is reported");
  });

  it("fails a rule whose keyword lies beyond its pattern's reach, which windows would miss", async () => {
    const dir = makeTempDir();
    // The keyword sits 200 lines above the token; the pattern reads one line.
    const far = `mine config\\n${"filler line\\n".repeat(200)}mine_{{lower:3}}{{digits:8}}`;
    writeFileSync(
      join(dir, "mine.yaml"),
      `rules:\n  - id: mine\n    title: t\n    provider: p\n    pattern: 'mine_[a-z]{3}[0-9]{8}'\n    keywords: [config]\n    remediation: r\n    examples:\n      match: ["${far}"]\n      nomatch: ['mine_{{lower:11}}']\n`,
    );
    const result = await runCli(["rules", "test", "mine.yaml"], { cwd: dir });
    expect(result.stdout).toContain("rule mine: examples.match[0] reports");
    expect(result.stdout).toContain("only when the rule runs on the whole text");
    expect(result.exitCode).toBe(1);
  });

  it("lists rules as JSON", async () => {
    const result = await runCli(["rules", "list", "--format", "json"], { cwd: makeTempDir() });
    const rows = JSON.parse(result.stdout) as { id: string }[];
    expect(rows.map((row) => row.id)).toContain("meta-llama-api-key");
    expect(rows.length).toBe(rules.length);
  });
});

describe("keywarden scan, paths as given", () => {
  it("scans what follows `--`, refuses a lone `-`, and a repeatable option takes one value", async () => {
    const dir = makeTempDir();
    const clean = join(dir, "clean");
    mkdirSync(clean);
    writeFileSync(join(dir, "-secret.env"), `GITHUB_TOKEN=${expandTemplate("ghp_{{alnum:36}}")}\n`);
    const dashed = await runCli(["scan", "--format", "json", "--", "-secret.env"], { cwd: dir });
    expect(dashed.exitCode, dashed.stderr).toBe(1);
    expect(JSON.parse(dashed.stdout).findings[0].path).toBe("-secret.env");
    const missing = await runCli(["scan", "--", "nowhere"], { cwd: clean });
    expect(missing.stderr).toBe("keywarden: nowhere: no such file or directory\n");

    const lone = await runCli(["scan", "-"], { cwd: clean, input: "x\n" });
    expect(lone.exitCode).toBe(2);
    expect(lone.stderr.split("\n")[0]).toBe(
      'keywarden: "-" is not a path: to scan standard input, use keywarden stdin',
    );

    // `--rules FILE PATH`: PATH is what is scanned, not a second rule file.
    writeFileSync(
      join(clean, "rules.yaml"),
      "rules:\n  - id: acme-token\n    title: t\n    provider: acme\n    pattern: 'acme_[a-z]{12}'\n    keywords: [acme_]\n    remediation: r\n    examples: {match: ['acme_[[{{lower:12}}]]'], nomatch: [acme_]}\n",
    );
    const rulesThenPath = await runCli(["scan", "--rules", "rules.yaml", dir], { cwd: clean });
    expect(rulesThenPath.exitCode, rulesThenPath.stderr).toBe(1);
    expect(rulesThenPath.stdout).toContain("-secret.env");
    const emptyFolder = await runCli(["scan", "--rules", dir, "."], { cwd: clean });
    expect(emptyFolder.exitCode).toBe(2);
    expect(emptyFolder.stderr).toContain("a folder with no rule files");
  });
});

describe("keywarden on paths it cannot use", () => {
  it.runIf(process.platform === "linux")(
    "says why in one line: a FIFO for a config, a link loop, a deleted current folder, a hooks folder under /proc",
    async () => {
      const dir = makeTempDir();
      execFileSync("mkfifo", [join(dir, "fifo.yaml")]);
      const fifo = await runCli(["scan", ".", "--config", "fifo.yaml"], { cwd: dir });
      expect(fifo.exitCode).toBe(2);
      expect(fifo.stderr).toBe(
        "keywarden: fifo.yaml: cannot read config file (not a regular file)\n",
      );
      symlinkSync("loop-b", join(dir, "loop-a"));
      symlinkSync("loop-a", join(dir, "loop-b"));
      const loop = await runCli(["scan", "loop-a"], { cwd: dir });
      expect(loop.stderr).toBe("keywarden: loop-a: a symbolic link loop\n");

      const gone = join(dir, "gone");
      mkdirSync(gone);
      const { spawnSync } = await import("node:child_process");
      const deleted = spawnSync(
        "sh",
        ["-c", `cd "$1" && rmdir "$1" && "$2" "$3" --version`, "sh", gone, process.execPath, BIN],
        { encoding: "utf8" },
      );
      expect(deleted.status).toBe(2);
      expect(deleted.stderr).toBe(
        "keywarden: the current folder no longer exists: cd to one that does\n",
      );

      const repo = makeTempRepo();
      repo.git("config", "core.hooksPath", "/proc/keywarden/hooks");
      const hooks = await runCli(["hook", "install", "--git"], {
        cwd: repo.dir,
        timeoutMs: 20_000,
      });
      expect(hooks.exitCode).toBe(2);
      expect(hooks.stderr).toBe(
        "keywarden: cannot create the hooks folder /proc/keywarden/hooks (cannot create folder /proc/keywarden: no such file or directory)\n",
      );
    },
  );
});

describe("keywarden options that name a file", () => {
  it("refuses them without a value, in one line, rather than run without them", async () => {
    const dir = makeTempDir();
    for (const args of [
      ["scan", ".", "--config"],
      ["scan", ".", "--config="],
      ["scan", ".", "--baseline", "--quiet"],
      ["staged", "--ignore-file="],
      ["history", "--output"],
    ]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(
        /^keywarden: (?:Not enough arguments following: \S+|--\S+: needs a file name)\n/,
      );
      expect(result.stderr).not.toContain("internal error");
    }
  });
});

describe("keywarden scan from a subfolder, for code scanning", () => {
  it("writes SARIF and GitHub annotation paths from the repository's top", async () => {
    const repo = makeTempRepo({
      "services/api/c.env": `GITHUB_TOKEN=${expandTemplate("ghp_{{alnum:36}}")}\n`,
    });
    const cwd = join(repo.dir, "services");
    const sarif = await runCli(["scan", ".", "--format", "sarif"], { cwd });
    const result = JSON.parse(sarif.stdout).runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe("services/api/c.env");
    const github = await runCli(["scan", "--format", "github", join(repo.dir, "services")], {
      cwd: makeTempDir(),
    });
    expect(github.stdout).toContain("file=services/api/c.env,");
    // The text report keeps paths as the person typed them, from where they stand.
    const text = await runCli(["scan", "."], { cwd });
    expect(text.stdout).toContain("api/c.env:1:");
  });
});

describe("keywarden fingerprints of keys over several lines", () => {
  it("are one fingerprint whatever the line ends and the indentation", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const pem = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const dir = makeTempDir();
    writeFileSync(join(dir, "unix.pem"), pem);
    writeFileSync(join(dir, "windows.pem"), pem.replace(/\n/g, "\r\n"));
    const indented = pem
      .trimEnd()
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n");
    writeFileSync(join(dir, "values.yaml"), `tls:\n  key: |\n${indented}\n`);
    const result = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
    const keys = (
      JSON.parse(result.stdout).findings as { ruleId: string; fingerprint: string }[]
    ).filter((finding) => finding.ruleId === "private-key");
    expect(keys).toHaveLength(3);
    expect(new Set(keys.map((key) => key.fingerprint)).size).toBe(1);
  });
});

describe("keywarden command groups", () => {
  it("name their subcommands when given none they know, in one line", async () => {
    const dir = makeTempDir();
    const unknownTool = await runCli(["import", "trufflehog"], { cwd: dir });
    expect(unknownTool.exitCode).toBe(2);
    expect(unknownTool.stderr.split("\n")[0]).toBe("keywarden: import: name one of: gitleaks");
    const unknownAction = await runCli(["baseline", "frob"], { cwd: dir });
    expect(unknownAction.stderr.split("\n")[0]).toBe("keywarden: baseline: name one of: create");
  });
});

describe("keywarden on what a user got wrong, not the program", () => {
  it("names an unknown example template and a folder in place of .pre-commit-config.yaml in one line", async () => {
    const dir = makeTempDir();
    writeFileSync(
      join(dir, "rules.yaml"),
      "rules:\n  - id: acme-token\n    title: t\n    provider: acme\n    pattern: 'acme_[a-z]{12}'\n    keywords: [acme_]\n    remediation: r\n    examples: {match: ['acme_[[{{bogus:12}}]]'], nomatch: [acme_]}\n",
    );
    const template = await runCli(["rules", "test", "rules.yaml"], { cwd: dir });
    expect(template.exitCode).toBe(2);
    expect(template.stderr.split("\n")[0]).toMatch(
      /^keywarden: unknown character set "bogus" in example template/,
    );
    const repo = makeTempRepo();
    mkdirSync(join(repo.dir, ".pre-commit-config.yaml"));
    const hook = await runCli(["hook", "install", "--pre-commit"], { cwd: repo.dir });
    expect(hook.exitCode).toBe(2);
    expect(hook.stderr).toBe(
      "keywarden: .pre-commit-config.yaml: cannot read it (a folder is in its place)\n",
    );
  });

  it("keeps an error quoting a file's bytes to one line, its control characters escaped", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "report.json"), "not json\n");
    const report = await runCli(["report", "report.json"], { cwd: dir });
    expect(report.exitCode).toBe(2);
    expect(report.stderr).toMatch(
      /^keywarden: report\.json: not JSON \(.*\\n.*\); expected a report made with --format json\n$/,
    );
    writeFileSync(join(dir, ".keywardenignore"), "ab\0\x1b[2J\n");
    const ignore = await runCli(["scan", "."], { cwd: dir });
    expect(ignore.exitCode).toBe(2);
    expect(ignore.stderr).toMatch(
      /^keywarden: \.keywardenignore:1: "ab\\x00\\x1b\[2J" is neither /,
    );
    expect(ignore.stderr.split("\n")).toHaveLength(2);
  });

  it("reads a report, a baseline, an ignore file and a config saved as UTF-16 or with a UTF-8 mark", async () => {
    // Windows PowerShell's `>` writes UTF-16 after a byte-order mark; Notepad may add a UTF-8 one.
    const utf16 = (text: string) =>
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const utf8Marked = (text: string) => Buffer.from(`\ufeff${text}`);
    const key = expandExample("LLM|{{digits:16}}|{{b64url:27}}").text;
    for (const encode of [utf16, utf8Marked]) {
      const dir = makeTempDir();
      writeFileSync(join(dir, "app.env"), `LLAMA_API_KEY=${key}\n`);
      const scan = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
      expect(scan.exitCode, scan.stderr).toBe(1);
      writeFileSync(join(dir, "report.json"), encode(scan.stdout));
      const report = await runCli(["report", "report.json", "--format", "csv"], { cwd: dir });
      expect(report.stderr).toBe("");
      expect(report.exitCode).toBe(0);
      const baseline = await runCli(["scan", ".", "--baseline", "report.json"], { cwd: dir });
      expect(baseline.exitCode, baseline.stderr).toBe(0);
      const { fingerprint } = (JSON.parse(scan.stdout) as JsonReport).findings[0]!;
      writeFileSync(join(dir, ".keywardenignore"), encode(`${fingerprint}\n`));
      writeFileSync(join(dir, ".keywarden.yaml"), encode("exclude: [report.json]\n"));
      const ignored = await runCli(["scan", "."], { cwd: dir });
      expect(ignored.exitCode, ignored.stderr).toBe(0);
    }
  });
});

describe("keywarden options that contradict each other", () => {
  it("refuses --quiet with --verbose in one line", async () => {
    const dir = makeTempDir();
    for (const args of [
      ["scan", ".", "--quiet", "--verbose"],
      ["history", "-q", "--verbose"],
    ]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0]).toBe(
        "keywarden: --quiet and --verbose contradict each other: pick one",
      );
    }
  });
});
