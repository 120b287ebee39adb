import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportFinding } from "../../src/types.js";
import { makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";
import { plantedKey } from "./helpers.js";

/**
 * `keywarden history` on repositories whose config, refs or objects are unusual: each case is
 * one a plain clone can hold, and each once hid a key or stopped the walk.
 */

interface JsonReport {
  readonly findings: ReportFinding[];
}

async function historyFindings(cwd: string, ...args: string[]) {
  const result = await runCli(["history", "--format", "json", "--no-redact", ...args], { cwd });
  const report = result.stdout ? (JSON.parse(result.stdout) as JsonReport) : undefined;
  return { ...result, findings: report?.findings ?? [] };
}

describe("keywarden history on unusual repositories", () => {
  it("reads paths from the repository's top from a subfolder, whatever diff.relative says", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    const commit = repo.commit("one", { "sub/x.txt": "x\n", "top.env": `KEY=${key}\n` });
    repo.git("config", "diff.relative", "true");
    const { exitCode, findings } = await historyFindings(join(repo.dir, "sub"));
    expect(exitCode).toBe(1);
    expect(findings.map((f) => [f.secret, f.path, f.commit])).toEqual([[key, "top.env", commit]]);
  });

  it("walks past a legacy info/grafts file that cuts a commit off from its real parents", async () => {
    const key = plantedKey();
    const repo = makeTempRepo();
    repo.commit("base", { "f.txt": "base\n" });
    const leak = repo.commit("leak", { "k.env": `KEY=${key}\n` });
    repo.git("rm", "-q", "k.env");
    const clean = repo.commit("clean");
    writeFileSync(join(repo.dir, ".git", "info", "grafts"), `${clean}\n`);
    const { exitCode, findings, stderr } = await historyFindings(repo.dir);
    expect(stderr).toBe("");
    expect(exitCode).toBe(1);
    expect(findings.map((f) => [f.secret, f.commit])).toEqual([[key, leak]]);
  });
});
