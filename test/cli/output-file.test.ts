import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

/** Long enough for a scan of an empty folder; a hang is killed, not waited on. */
const HANG_GUARD_MS = 15_000;

describe("keywarden scan --output", () => {
  it("makes missing folders, one level at a time", async () => {
    const dir = makeTempDir();
    const result = await runCli(["scan", ".", "--format", "json", "-o", "a/b/c/r.json"], {
      cwd: dir,
      timeoutMs: HANG_GUARD_MS,
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "a/b/c/r.json"), "utf8")).findings).toEqual([]);
  });

  // Node 20's recursive mkdirSync spins forever where /proc refuses a folder.
  it.skipIf(process.platform !== "linux")(
    "answers a folder the system refuses (/proc) with one line and exit 2, not a hang",
    async () => {
      const dir = makeTempDir();
      const result = await runCli(["scan", ".", "-o", "/proc/keywarden-nope/r.json"], {
        cwd: dir,
        timeoutMs: HANG_GUARD_MS,
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(
        "keywarden: --output /proc/keywarden-nope/r.json: cannot write the report (cannot create folder /proc/keywarden-nope: no such file or directory)\n",
      );
    },
    HANG_GUARD_MS + 5_000,
  );

  it("names a file that stands where a folder should be", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "file"), "not a folder\n");
    for (const output of ["file/x.json", "file/deeper/x.json"]) {
      const result = await runCli(["scan", ".", "-o", output], {
        cwd: dir,
        timeoutMs: HANG_GUARD_MS,
      });
      expect(result.exitCode, output).toBe(2);
      expect(result.stderr).toBe(
        `keywarden: --output ${output}: cannot write the report (file is not a directory)\n`,
      );
    }
  });
});

describe("a report written to a file", () => {
  it("says on standard error what it holds, without the secret, unless --quiet", async () => {
    const dir = makeTempDir();
    const key = expandTemplate("gsk_{{alnum:52}}");
    writeFileSync(join(dir, "app.env"), `GROQ_API_KEY=${key}\n`);
    const written = await runCli(["scan", ".", "-f", "json", "-o", "r.json"], { cwd: dir });
    expect(written.exitCode).toBe(1);
    expect(written.stdout).toBe("");
    expect(written.stderr).toMatch(
      /^keywarden: 1 finding \(1 distinct secret\): 1 file \([\d.]+ MB\) in \d+ ms\. Report written to r\.json\.\n$/,
    );
    expect(written.stderr).not.toContain(key.slice(8));
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).findings).toHaveLength(1);

    const quiet = await runCli(["scan", ".", "-f", "json", "-o", "r.json", "--quiet"], {
      cwd: dir,
    });
    expect(quiet.exitCode).toBe(1);
    expect(quiet.stderr).toBe("");
    // To standard output the report says it itself.
    const piped = await runCli(["scan", ".", "-f", "json", "-o", "-"], { cwd: dir });
    expect(piped.stderr).toBe("");
  });
});

describe("an --output that cannot be written", () => {
  // The config here is broken: an error naming --output shows the check ran before the scan.
  const brokenConfig = { ".keywarden.yaml": "rules: [\n" };

  it("stops history, baseline and verify before they read anything", async () => {
    const repo = makeTempRepo(brokenConfig);
    repo.commit("config");
    writeFileSync(join(repo.dir, "report.json"), "{}\n");
    const commands = [
      ["history", "-o", "."],
      ["scan", ".", "-o", "."],
      ["baseline", "create", "-o", "."],
      ["verify", "report.json", "-o", "."],
    ];
    for (const args of commands) {
      const result = await runCli(args, { cwd: repo.dir, timeoutMs: HANG_GUARD_MS });
      expect(result.exitCode, args.join(" ")).toBe(2);
      const what = args[0] === "baseline" ? "baseline" : "report";
      expect(result.stderr, args.join(" ")).toBe(
        `keywarden: --output .: cannot write the ${what} (it is a folder)\n`,
      );
    }
  });
});
