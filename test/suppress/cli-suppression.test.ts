import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { nobodyEnv, runCli } from "../helpers/run-cli.js";

interface JsonReport {
  findings: { ruleId: string; path: string; line: number; fingerprint: string; commit?: string }[];
}

const mkfifo = (path: string) => execFileSync("mkfifo", [path]);

const githubToken = () => expandTemplate("ghp_{{alnum:36}}");

function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe("ignore entries across a rebase", () => {
  it("a fingerprint entry survives the rebase and the line move; the commit:path:rule:line entry goes stale", async () => {
    const repo = makeTempRepo();
    repo.commit("init", { "README.md": "# demo\n" });
    repo.git("branch", "side");
    repo.commit("add config", { "app.env": `# settings\nGITHUB_TOKEN=${githubToken()}\n` });

    const before = await runCli(["history", "--format", "json"], { cwd: repo.dir });
    expect(before.exitCode, before.stderr).toBe(1);
    const [finding] = parseReport(before.stdout).findings;
    expect(finding).toMatchObject({ ruleId: "github-pat", path: "app.env", line: 2 });
    const oldCommit = finding!.commit!;
    expect(oldCommit).toMatch(/^[0-9a-f]{40}$/);

    writeFileSync(
      join(repo.dir, ".keywardenignore"),
      [
        `${finding!.fingerprint}  # demo token, revoked`,
        `${oldCommit}:app.env:github-pat:2  # the same, gitleaks style`,
        "",
      ].join("\n"),
    );

    // Rebase the commit onto another branch, then move the key further down in it.
    repo.git("checkout", "-q", "side");
    repo.commit("side work", { "other.txt": "unrelated\n" });
    repo.git("checkout", "-q", "main");
    repo.git("rebase", "-q", "side");
    const moved = readFileSync(join(repo.dir, "app.env"), "utf8").replace(
      "# settings\n",
      "# settings\n\n# more\n# lines\n",
    );
    writeFileSync(join(repo.dir, "app.env"), moved);
    repo.git("add", "app.env");
    repo.git("commit", "-q", "--amend", "--no-edit");
    const newCommit = repo.git("rev-parse", "HEAD");
    expect(newCommit).not.toBe(oldCommit);

    // Without the ignore file the key is there, at its new line, in the new commit.
    const bare = await runCli(["history", "--format", "json", "--ignore-file", "/dev/null"], {
      cwd: repo.dir,
    });
    expect(bare.exitCode, bare.stderr).toBe(1);
    expect(parseReport(bare.stdout).findings).toMatchObject([{ line: 5, commit: newCommit }]);

    const after = await runCli(["history", "--format", "json", "--report-unused-ignores"], {
      cwd: repo.dir,
    });
    expect(after.exitCode, after.stderr).toBe(0);
    expect(parseReport(after.stdout).findings).toEqual([]);
    expect(after.stderr).toContain(
      `.keywardenignore:2: unused ignore entry ${oldCommit}:app.env:github-pat:2`,
    );
    expect(after.stderr).not.toContain(`.keywardenignore:1:`);

    const files = await runCli(["scan", ".", "--format", "json", "--report-unused-ignores"], {
      cwd: repo.dir,
    });
    expect(files.exitCode, files.stderr).toBe(0);
    expect(files.stderr).toContain("unused ignore entry");
  });
});

describe("ignore entries that name a path", () => {
  it("hide the key in that file only: its copies in other files and other folders are reported", async () => {
    const line = `GITHUB_TOKEN=${githubToken()}\n`;
    const repo = makeTempRepo();
    // The same blob in two files (read once), and the key again in a file of its own.
    repo.commit("fixture", { "fixture.env": line });
    const deploy = repo.commit("deploy", {
      "deploy/prod.env": line,
      "deploy/.env": `# prod\n${line}`,
      ".env": `# top\n${line}`,
    });
    const all = await runCli(["history", "--format", "json"], { cwd: repo.dir });
    const fingerprint = parseReport(all.stdout).findings[0]!.fingerprint;
    writeFileSync(
      join(repo.dir, ".keywardenignore"),
      `fixture.env:${fingerprint}\n.env:github-pat:2\n`,
    );
    const history = await runCli(["history", "--format", "json"], { cwd: repo.dir });
    expect(history.exitCode, history.stderr).toBe(1);
    const [finding] = parseReport(history.stdout).findings as (JsonReport["findings"][number] & {
      occurrences: { path: string }[];
    })[];
    expect(finding!.commit).toBe(deploy);
    expect(finding!.occurrences.map((o) => o.path).sort()).toEqual([
      "deploy/.env",
      "deploy/prod.env",
    ]);
    // A files scan from a subfolder reads the entries from the ignore file's folder too.
    const scan = await runCli(["scan", ".", "--format", "json"], {
      cwd: join(repo.dir, "deploy"),
    });
    expect(
      parseReport(scan.stdout)
        .findings.map((f) => f.path)
        .sort(),
    ).toEqual([".env", "prod.env"]);
  });
});

describe("ignore files outside a repository", () => {
  it("apply from the scanned folder only, not from a folder above it", async () => {
    const outer = makeTempDir();
    const dir = join(outer, "project");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    writeFileSync(join(dir, "app.env"), `GITHUB_TOKEN=${githubToken()}\n`);
    const first = await runCli(["scan", ".", "--format", "json"], {
      cwd: dir,
      env: { GIT_CEILING_DIRECTORIES: outer },
    });
    const fingerprint = parseReport(first.stdout).findings[0]!.fingerprint;
    // A stray ignore file in a folder above, as in /tmp, hides nothing here.
    writeFileSync(join(outer, ".keywardenignore"), `${fingerprint}\n`);
    writeFileSync(join(outer, ".gitleaksignore"), `${fingerprint}\n`);
    const stray = await runCli(["scan", "."], { cwd: dir });
    expect(stray.exitCode).toBe(1);
    writeFileSync(join(dir, ".keywardenignore"), `${fingerprint}\n`);
    expect((await runCli(["scan", "."], { cwd: dir })).exitCode).toBe(0);
  });
});

describe("ignore files for several paths", () => {
  it("refuses paths under different ignore files in one line, whatever their order", async () => {
    const repo = makeTempRepo();
    repo.write({
      "a/x.env": `GITHUB_TOKEN=${githubToken()}\n`,
      "b/y.env": `GITHUB_TOKEN=${githubToken()}\n`,
    });
    const all = await runCli(["scan", ".", "--format", "json"], { cwd: repo.dir });
    const fingerprintOf = (path: string) =>
      parseReport(all.stdout).findings.find((finding) => finding.path === path)!.fingerprint;
    writeFileSync(join(repo.dir, "a", ".keywardenignore"), `${fingerprintOf("a/x.env")}\n`);
    writeFileSync(join(repo.dir, "b", ".keywardenignore"), `${fingerprintOf("b/y.env")}\n`);
    // The first path's file alone would apply: `a b` would hide a's key, `b a` b's.
    for (const order of [
      ["a", "b"],
      ["b", "a"],
    ]) {
      const result = await runCli(["scan", ...order], { cwd: repo.dir });
      expect(result.exitCode, order.join(" ")).toBe(2);
      expect(result.stderr).toMatch(
        /^keywarden: the paths given fall under different \.keywardenignore files: .*--ignore-file\n$/,
      );
    }
    // Each alone, or one named for all, is fine.
    expect((await runCli(["scan", "a"], { cwd: repo.dir })).exitCode).toBe(0);
    const named = await runCli(
      ["scan", "a", "b", "--ignore-file", "a/.keywardenignore", "--format", "json"],
      { cwd: repo.dir },
    );
    expect(named.exitCode).toBe(1);
    expect(parseReport(named.stdout).findings.map((finding) => finding.path)).toEqual(["b/y.env"]);
  });
});

describe("keywarden baseline", () => {
  it("round trip: create, add a key, only the new key is reported; create twice gives the same bytes", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "a.env"), `TOKEN=${githubToken()}\n`);
    writeFileSync(join(dir, "b.py"), `gh = "${githubToken()}"\n`);

    const created = await runCli(["baseline", "create"], { cwd: dir });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stderr).toContain("2 findings recorded");
    const first = readFileSync(join(dir, ".keywarden-baseline.json"));
    expect((await runCli(["baseline", "create"], { cwd: dir })).exitCode).toBe(0);
    expect(readFileSync(join(dir, ".keywarden-baseline.json")).equals(first)).toBe(true);
    const text = first.toString("utf8");
    for (const file of ["a.env", "b.py"]) {
      const secret = /ghp_[A-Za-z0-9]{36}/.exec(readFileSync(join(dir, file), "utf8"))![0];
      expect(text).not.toContain(secret.slice(4, 12));
    }

    const clean = await runCli(
      ["scan", ".", "--baseline", ".keywarden-baseline.json", "--format", "json"],
      { cwd: dir },
    );
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(parseReport(clean.stdout).findings).toEqual([]);

    writeFileSync(join(dir, "c.ts"), `export const token = "${githubToken()}";\n`);
    const fresh = await runCli(
      ["scan", ".", "--baseline", ".keywarden-baseline.json", "--format", "json"],
      { cwd: dir },
    );
    expect(fresh.exitCode, fresh.stderr).toBe(1);
    expect(parseReport(fresh.stdout).findings.map((f) => f.path)).toEqual(["c.ts"]);

    const out = join(dir, "sub", "base.json");
    expect((await runCli(["baseline", "create", "-o", out], { cwd: dir })).exitCode).toBe(0);
    const third = readFileSync(out, "utf8");
    expect(JSON.parse(third).findings).toHaveLength(3);
    expect((await runCli(["baseline", "create", "-o", out], { cwd: dir })).exitCode).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(third);
  });

  it("takes a detect-secrets .secrets.baseline: a secret it lists in a file is not reported there", async () => {
    const dir = makeTempDir();
    const known = githubToken();
    const fresh = githubToken();
    mkdirSync(join(dir, "config"));
    writeFileSync(join(dir, "config", "app.env"), `GITHUB_TOKEN=${known}\nDEPLOY_TOKEN=${fresh}\n`);
    // The same secret in a file the baseline does not list is news.
    writeFileSync(join(dir, "copy.env"), `GITHUB_TOKEN=${known}\n`);
    const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
    const baseline = {
      version: "1.5.0",
      plugins_used: [{ name: "GitHubTokenDetector" }],
      filters_used: [],
      results: {
        "config/app.env": [
          {
            type: "GitHub Token",
            filename: "config/app.env",
            hashed_secret: sha1(known),
            is_verified: false,
            line_number: 1,
          },
        ],
      },
      generated_at: "2026-01-01T00:00:00Z",
    };
    writeFileSync(join(dir, ".secrets.baseline"), JSON.stringify(baseline, null, 2));
    const result = await runCli(["scan", ".", "-f", "json", "--baseline", ".secrets.baseline"], {
      cwd: dir,
    });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(
      parseReport(result.stdout)
        .findings.map((f) => `${f.path}:${f.line}`)
        .sort(),
    ).toEqual(["config/app.env:2", "copy.env:1"]);
    // Its paths are read from its own folder, wherever the scan runs from.
    const fromSub = await runCli(
      ["scan", ".", "-f", "json", "--baseline", "../.secrets.baseline"],
      { cwd: join(dir, "config") },
    );
    expect(parseReport(fromSub.stdout).findings.map((f) => `${f.path}:${f.line}`)).toEqual([
      "app.env:2",
    ]);
  });

  it("a missing or broken baseline is one clear error, exit 2", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "a.env"), "nothing here\n");
    const missing = await runCli(["scan", ".", "--baseline", "nope.json"], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe("keywarden: nope.json: cannot read baseline (no such file)\n");
    writeFileSync(join(dir, "bad.json"), '{"findings": 3}');
    const broken = await runCli(["scan", ".", "--baseline", "bad.json"], { cwd: dir });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/^keywarden: bad\.json: not a baseline .*\n$/);
  });

  it("a baseline made over a folder it cannot read names it and exits 2, as the scan does", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "a.env"), `TOKEN=${githubToken()}\n`);
    mkdirSync(join(dir, "private"));
    writeFileSync(join(dir, "private", "b.env"), `TOKEN=${githubToken()}\n`);
    const env = nobodyEnv(dir, 0o777);
    chmodSync(join(dir, "private"), 0);
    try {
      const created = await runCli(["baseline", "create"], { cwd: dir, env });
      // Written, but not a clean result: its keys under private/ are not in it.
      expect(created.exitCode, created.stderr).toBe(2);
      expect(created.stderr).toContain("1 finding recorded");
      expect(created.stderr).toMatch(/skipped 1 file: unreadable\n {2}private \(EACCES/);
      expect(created.stderr).toContain("incomplete scan");
      const baseline = JSON.parse(readFileSync(join(dir, ".keywarden-baseline.json"), "utf8"));
      expect(baseline.findings.map((f: { path: string }) => f.path)).toEqual(["a.env"]);
    } finally {
      chmodSync(join(dir, "private"), 0o755);
    }
  });
});

describe("keywarden ignore add", () => {
  it("appends an entry with its reason, once, and the next scan is clean", async () => {
    const repo = makeTempRepo({ "app.env": `TOKEN=${githubToken()}\n` });
    repo.commit("init");
    const scanned = await runCli(["scan", ".", "--format", "json"], { cwd: repo.dir });
    expect(scanned.exitCode).toBe(1);
    const { fingerprint } = parseReport(scanned.stdout).findings[0]!;

    const added = await runCli(
      ["ignore", "add", `app.env:${fingerprint}`, "--reason", "test fixture"],
      { cwd: repo.dir },
    );
    expect(added.exitCode, added.stderr).toBe(0);
    const again = await runCli(["ignore", "add", `app.env:${fingerprint}`], { cwd: repo.dir });
    expect(again.stderr).toContain("already ignores");
    const file = readFileSync(join(repo.dir, ".keywardenignore"), "utf8");
    expect(file.split("\n").filter((line) => line.includes(fingerprint))).toEqual([
      `app.env:${fingerprint}  # test fixture`,
    ]);

    expect((await runCli(["scan", "."], { cwd: repo.dir })).exitCode).toBe(0);
    // Scanning a sub-path still finds the ignore file at the repository root.
    expect((await runCli(["scan", "app.env"], { cwd: repo.dir })).exitCode).toBe(0);

    const bad = await runCli(["ignore", "add", "not-a-fingerprint"], { cwd: repo.dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^keywarden: ignore add: "not-a-fingerprint" is neither/);
  });

  it("run in a subfolder, writes the path from the ignore file's folder, as the report named it", async () => {
    const repo = makeTempRepo({
      ".keywardenignore": "# fixtures\n",
      "sub/dev.env": `TOKEN=${githubToken()}\n`,
      "sub/old.env": `TOKEN=${githubToken()}\n`,
    });
    repo.commit("init");
    const cwd = join(repo.dir, "sub");
    // A files scan names paths from where it ran; history from the repository's top.
    const scanned = await runCli(["scan", "dev.env", "--format", "json"], { cwd });
    const fromHere = parseReport(scanned.stdout).findings[0]!;
    expect(fromHere.path).toBe("dev.env");
    const added = await runCli(["ignore", "add", `${fromHere.path}:${fromHere.fingerprint}`], {
      cwd,
    });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stderr).toContain(
      `added sub/dev.env:${fromHere.fingerprint} to ../.keywardenignore`,
    );
    const history = await runCli(["history", "--format", "json"], { cwd });
    const old = parseReport(history.stdout).findings.find((f) => f.path === "sub/old.env")!;
    const entry = `${old.commit}:${old.path}:${old.ruleId}:${old.line}`;
    expect((await runCli(["ignore", "add", entry], { cwd })).exitCode).toBe(0);
    const file = readFileSync(join(repo.dir, ".keywardenignore"), "utf8");
    expect(file.split("\n").filter((line) => /^[^#]/.test(line))).toEqual([
      `sub/dev.env:${fromHere.fingerprint}`,
      entry,
    ]);
    for (const args of [["scan", "dev.env"], ["history"]])
      expect((await runCli(args, { cwd })).exitCode, args.join(" ")).toBe(0);
    expect((await runCli(["scan", "sub/dev.env"], { cwd: repo.dir })).exitCode).toBe(0);

    // `both.env` is a file here and at the top: which one is meant cannot be told.
    repo.write({ "sub/both.env": "", "both.env": "" });
    for (const [path, says] of [
      ["both.env", "names a file both from here and from the repository's top"],
      ["gone.env", "names no file from here nor from the repository's top"],
    ]) {
      const refused = await runCli(["ignore", "add", `${path}:${fromHere.fingerprint}`], { cwd });
      expect(refused.exitCode, path).toBe(2);
      expect(refused.stderr, path).toContain(`keywarden: ignore add: ${path} ${says}`);
    }
    expect(readFileSync(join(repo.dir, ".keywardenignore"), "utf8")).toBe(file);
  });

  it("refuses an entry that would not read back (a path holding ` #`), and writes nothing", async () => {
    const repo = makeTempRepo();
    const fingerprint = expandTemplate("{{hex:32}}");
    const add = await runCli(["ignore", "add", `notes/todo #1.env:${fingerprint}`], {
      cwd: repo.dir,
    });
    expect(add.exitCode).toBe(2);
    expect(add.stderr).toContain('its path holds " #"');
    const scan = await runCli(["scan", "."], { cwd: repo.dir });
    expect(scan.exitCode, scan.stderr).toBe(0);
  });

  it("says in one line that a folder or a FIFO stands where the ignore file goes", async () => {
    const repo = makeTempRepo();
    mkdirSync(join(repo.dir, ".keywardenignore"));
    mkfifo(join(repo.dir, "pipe"));
    const fingerprint = expandTemplate("{{hex:32}}");
    const folder = await runCli(["ignore", "add", fingerprint], { cwd: repo.dir });
    expect(folder.exitCode).toBe(2);
    expect(folder.stderr).toBe(
      "keywarden: .keywardenignore: ignore file is a directory, expected a file\n",
    );
    // A FIFO would wait for a writer forever.
    const fifo = await runCli(["ignore", "add", fingerprint, "--file", "pipe"], {
      cwd: repo.dir,
      timeoutMs: 20_000,
    });
    expect(fifo.exitCode).toBe(2);
    expect(fifo.stderr).toBe("keywarden: pipe: cannot read ignore file (not a regular file)\n");
  });

  it("a broken ignore file stops the scan with its file and line", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, ".keywardenignore"), "# fine\nnonsense entry here\n");
    const result = await runCli(["scan", "."], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^keywarden: \.keywardenignore:2: "nonsense" is neither/);
  });

  it("takes gitleaks' generic-api-key entries for the provider rule keywarden reports there", async () => {
    const dir = makeTempDir();
    const together = expandTemplate("tgp_v1_{{b64url:43}}");
    const other = expandTemplate("tgp_v1_{{b64url:43}}");
    writeFileSync(join(dir, "app.env"), `TOGETHER_API_KEY=${together}\n`);
    writeFileSync(join(dir, "new.env"), `TOGETHER_API_KEY=${other}\n`);
    const before = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
    expect(parseReport(before.stdout).findings.map((f) => [f.path, f.ruleId])).toEqual([
      ["app.env", "together-api-key"],
      ["new.env", "together-api-key"],
    ]);
    // What `gitleaks dir . --report-format json` writes: gitleaks has no Together AI rule.
    const gitleaksFinding = (file: string, secret: string) => ({
      RuleID: "generic-api-key",
      File: file,
      StartLine: 1,
      Secret: secret,
      Fingerprint: `${file}:generic-api-key:1`,
    });
    // Kept outside the scanned folder: it holds the key.
    const report = join(makeTempDir(), "gitleaks-report.json");
    writeFileSync(
      report,
      JSON.stringify([gitleaksFinding("app.env", together), gitleaksFinding("new.env", together)]),
    );
    const withBaseline = await runCli(["scan", ".", "--format", "json", "--baseline", report], {
      cwd: dir,
    });
    // new.env holds another key than the one gitleaks recorded there: still reported.
    expect(parseReport(withBaseline.stdout).findings.map((f) => f.path)).toEqual(["new.env"]);
    writeFileSync(join(dir, ".gitleaksignore"), "app.env:generic-api-key:1\n");
    const ignored = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
    expect(parseReport(ignored.stdout).findings.map((f) => f.path)).toEqual(["new.env"]);
  });

  it("honours .gitleaksignore entries (path:rule:line)", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "a.env"), `\nTOKEN=${githubToken()}\n`);
    writeFileSync(join(dir, "b.env"), `\nTOKEN=${githubToken()}\n`);
    writeFileSync(join(dir, ".gitleaksignore"), "# migrated\na.env:github-pat:2\n");
    const result = await runCli(["scan", ".", "--format", "json"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(parseReport(result.stdout).findings.map((f) => f.path)).toEqual(["b.env"]);
  });
});
