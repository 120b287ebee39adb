import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandExample } from "../../src/config/example-template.js";
import { plantedKey } from "../git/helpers.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

interface JsonFinding {
  readonly path: string;
  readonly line: number;
}

async function foundAt(args: readonly string[], cwd: string): Promise<[string, number][]> {
  const result = await runCli(["staged", "--format", "json", ...args], { cwd });
  expect(result.exitCode, result.stderr).toBeLessThan(2);
  const { findings } = JSON.parse(result.stdout) as { findings: JsonFinding[] };
  return findings.map((finding) => [finding.path, finding.line]);
}

describe("keywarden staged, reading the lines around what it adds", () => {
  it("knows a key's provider from an unchanged line nearby, and reports nothing on that line", async () => {
    const repo = makeTempRepo();
    const oldKey = plantedKey();
    repo.commit("base", {
      "client.py": [
        "from openai import OpenAI",
        `LLAMA_API_KEY = "${oldKey}"  # already committed`,
        "client = OpenAI(",
        '    base_url="https://api.deepseek.com",',
        ")",
        "",
      ].join("\n"),
    });
    const key = `sk-${expandExample("{{hex:32}}").text}`;
    repo.write({
      "client.py": [
        "from openai import OpenAI",
        `LLAMA_API_KEY = "${oldKey}"  # already committed`,
        "client = OpenAI(",
        '    base_url="https://api.deepseek.com",',
        `    api_key="${key}",`,
        ")",
        "",
      ].join("\n"),
    });
    repo.git("add", "-A");
    const result = await runCli(["staged", "--format", "json", "--no-redact"], { cwd: repo.dir });
    const { findings } = JSON.parse(result.stdout) as {
      findings: { ruleId: string; line: number; secret: string }[];
    };
    expect(findings.map((finding) => [finding.ruleId, finding.line, finding.secret])).toEqual([
      ["deepseek-api-key", 5, key],
    ]);
  });
});

describe("keywarden staged, across the lines around a change", () => {
  const body = () => Array.from({ length: 6 }, () => expandExample("{{b64:64}}").text).join("\n");
  const pem = (lines: string) =>
    `-----BEGIN PRIVATE KEY-----\n${lines}\n-----END PRIVATE KEY-----\n`;

  it("reports a private key whose body changed between unchanged markers", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "deploy/key.pem": pem(body()) });
    repo.write({ "deploy/key.pem": pem(body()) });
    repo.git("add", "-A");
    const result = await runCli(["staged", "--format", "json"], { cwd: repo.dir });
    const { findings } = JSON.parse(result.stdout) as { findings: JsonFinding[] };
    expect(findings.map((finding) => [finding.path, finding.line])).toEqual([
      ["deploy/key.pem", 1],
    ]);
  });

  it("pairs a new LLMOS secret key with its access key on an unchanged line", async () => {
    const letters = "bcdfghjklmnpqrstvwxz2456789";
    const accessKey = `llmos-${expandExample(`{{chars:${letters}:5}}`).text}`;
    const repo = makeTempRepo();
    repo.commit("base", { "llmos.yaml": `llmos:\n  accessKey: ${accessKey}\n` });
    const secretKey = expandExample(`{{chars:${letters}:54}}`).text;
    repo.write({ "llmos.yaml": `llmos:\n  accessKey: ${accessKey}\n  value: ${secretKey}\n` });
    repo.git("add", "-A");
    const result = await runCli(["staged", "--format", "json"], { cwd: repo.dir });
    const { findings } = JSON.parse(result.stdout) as {
      findings: (JsonFinding & { ruleId: string; companion?: { line: number } })[];
    };
    expect(findings.map((f) => [f.ruleId, f.line, f.companion?.line])).toEqual([
      ["llmos-secret-key", 3, 2],
    ]);
  });
});

describe("keywarden staged PATH... (as the pre-commit framework runs it)", () => {
  it("scans a named file with nothing staged whole, as pre-commit run --all-files asks", async () => {
    const repo = makeTempRepo();
    repo.commit("a key, committed past the hook", {
      "README.md": "demo\n",
      "deploy/prod.env": `MODE=prod\nLLAMA_API_KEY=${plantedKey()}\n`,
    });
    // Nothing staged: the plain guard has nothing to say.
    expect((await runCli(["staged"], { cwd: repo.dir })).exitCode).toBe(0);

    const named = await runCli(["staged", "README.md", "deploy/prod.env"], { cwd: repo.dir });
    expect(named.exitCode).toBe(1);
    expect(named.stderr).toMatch(/^keywarden: commit blocked: a secret is in the files checked\n/);
    expect(named.stderr).toContain("deploy/prod.env:2");
    // A folder named counts as its files; so does a path from a subfolder.
    expect(await foundAt(["--", "deploy"], repo.dir)).toEqual([["deploy/prod.env", 2]]);
    expect(await foundAt(["prod.env"], join(repo.dir, "deploy"))).toEqual([["prod.env", 2]]);
    expect(await foundAt(["README.md"], repo.dir)).toEqual([]);
  });

  it("scans only the staged lines of a named file with a staged change", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "deploy/prod.env": `LLAMA_API_KEY=${plantedKey()}\n` });
    repo.write({ "deploy/prod.env": `LLAMA_API_KEY=${plantedKey()}\nMODE=prod\n` });
    repo.git("add", "-A");
    // The key the commit adds, on line 1; the one it replaces is in no finding.
    expect(await foundAt(["deploy/prod.env"], repo.dir)).toEqual([["deploy/prod.env", 1]]);

    const key = plantedKey();
    repo.write({ "deploy/prod.env": `LLAMA_API_KEY=${key}\nMODE=prod\n` });
    repo.git("add", "-A");
    repo.git("commit", "-q", "--no-verify", "-m", "key rotated");
    repo.write({ "deploy/prod.env": `LLAMA_API_KEY=${key}\nMODE=staging\n` });
    repo.git("add", "-A");
    repo.write({ "deploy/prod.env": `LLAMA_API_KEY=${plantedKey()}\nMODE=staging\n` });
    // What is staged counts (line 2), not the file's older lines nor a later, unstaged edit.
    expect(await foundAt(["deploy/prod.env"], repo.dir)).toEqual([]);
  });

  it("reads a staged symbolic link as the link git commits, not as what it points to", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    const outside = join(makeTempDir(), "local.env");
    writeFileSync(outside, `LLAMA_API_KEY=${plantedKey()}\n`);
    symlinkSync(outside, join(repo.dir, "link.env"));
    repo.git("add", "link.env");
    expect(await foundAt(["link.env"], repo.dir)).toEqual([]);
  });

  it("takes a name that starts with a dash for a file when it names one, as the framework passes it", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    repo.write({ "-rf.env": `LLAMA_API_KEY=${plantedKey()}\n`, "-x.env": "MODE=prod\n" });
    repo.git("add", "-A");
    expect(await foundAt(["-rf.env", "-x.env"], repo.dir)).toEqual([["-rf.env", 1]]);
    expect(await foundAt(["-x.env"], repo.dir)).toEqual([]);
    // Nor can a file's name switch the guard off or have it print the key.
    const key = plantedKey();
    repo.write({ "--fail-on=none": "x\n", "--no-redact": `LLAMA_API_KEY=${key}\n` });
    repo.git("add", "--", "--fail-on=none", "--no-redact");
    const named = await runCli(["staged", "--fail-on=none", "--no-redact", "-rf.env"], {
      cwd: repo.dir,
    });
    expect(named.exitCode).toBe(1);
    expect(named.stdout + named.stderr).not.toContain(key);
    expect(named.stderr).toContain("--no-redact:1");
    const typo = await runCli(["staged", "--formt", "json"], { cwd: repo.dir });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toMatch(
      /^keywarden: Unknown argument: --formt \(did you mean --format\?\)\n/,
    );
  });

  it("inside a commit, scans only staged lines: a merge's resolved files add nothing", async () => {
    const repo = makeTempRepo();
    repo.commit("an old key", { "a.py": `LEGACY = "${plantedKey()}"\n` });
    repo.write({ "b.py": "x = 1\n" });
    repo.git("add", "b.py");
    // What the framework runs when git commits: git sets GIT_INDEX_FILE for its hooks.
    const inCommit = await runCli(["staged", "--format", "json", "a.py", "b.py"], {
      cwd: repo.dir,
      env: { GIT_INDEX_FILE: ".git/index" },
    });
    expect(inCommit.exitCode, inCommit.stderr).toBe(0);
    // pre-commit run --files a.py, outside a commit: the file as it is.
    expect(await foundAt(["a.py", "b.py"], repo.dir)).toEqual([["a.py", 1]]);
  });

  it("takes a file named `--` for that file, not for the end of the options", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    repo.write({ "--": `LLAMA_API_KEY=${plantedKey()}\n`, "a.py": "x = 1\n" });
    repo.git("add", "-A");
    // What the framework runs: the names, `--` among them, and nothing before them.
    expect(await foundAt(["--", "a.py"], repo.dir)).toEqual([["--", 1]]);
    expect(await foundAt(["a.py", "--"], repo.dir)).toEqual([["--", 1]]);
  });

  it("finds nothing to scan at a staged rename's old name or a deleted file, and names a missing path", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "old.env": "MODE=prod\n", "gone.env": "MODE=dev\n" });
    repo.git("mv", "old.env", "new.env");
    repo.git("rm", "-q", "gone.env");
    expect(await foundAt(["old.env", "new.env", "gone.env"], repo.dir)).toEqual([]);
    const typo = await runCli(["staged", "nwe.env"], { cwd: repo.dir });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toBe("keywarden: nwe.env: no such file or directory\n");
  });

  it("leaves out staged files not named, so each of the framework's batches reports its own", async () => {
    const repo = makeTempRepo();
    repo.commit("base", { "README.md": "demo\n" });
    repo.write({
      "a.env": `LLAMA_API_KEY=${plantedKey()}\n`,
      "b.env": `LLAMA_API_KEY=${plantedKey()}\n`,
    });
    repo.git("add", "-A");
    expect(await foundAt(["a.env"], repo.dir)).toEqual([["a.env", 1]]);
    expect(await foundAt(["b.env"], repo.dir)).toEqual([["b.env", 1]]);
    expect(await foundAt([], repo.dir)).toEqual([
      ["a.env", 1],
      ["b.env", 1],
    ]);
  });
});
