import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A private key's armor line before megabytes of base64 (a dump, a fixture, a bundle) runs the
 * private-key rule's loops past V8's fixed backtracking stack. That once ended the whole scan
 * with "internal error", reporting nothing of the other files.
 */
describe("a rule whose regex runs out of stack on one file", () => {
  const body = randomBytes(6_000_000)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  const files = {
    "big.pem": `-----BEGIN PRIVATE KEY-----\n${body}`,
    "app.env": `GITHUB_TOKEN=${expandTemplate("ghp_{{alnum:36}}")}\n`,
  };

  it("scan: reports the other findings, lists the file as searched in part, and exits 2", async () => {
    const repo = makeTempRepo(files);
    const result = await runCli(["scan", ".", "--format", "json"], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toContain("internal error");
    const report = JSON.parse(result.stdout) as {
      findings: { ruleId: string; path: string }[];
      summary: { skipped: { path: string; reason: string; detail?: string }[] };
    };
    expect(report.findings.map((f) => [f.ruleId, f.path])).toEqual([["github-pat", "app.env"]]);
    expect(report.summary.skipped).toEqual([
      { path: "big.pem", reason: "rule-overflow", detail: "private-key" },
    ]);
    expect(result.stderr).toContain("searched 1 file in part");
    expect(result.stderr).toContain("big.pem (private-key)");
    expect(result.stderr).toContain("incomplete scan");
  });

  it("history: the same, naming the commit", async () => {
    const repo = makeTempRepo(files);
    repo.commit("add files");
    const result = await runCli(["history", "--quiet"], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain("app.env:1:14");
    expect(result.stderr).toMatch(/big\.pem \(private-key in [0-9a-f]{12}\)/);
  });
});
