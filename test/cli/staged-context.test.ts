import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeTempRepo, type TempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

interface Reported {
  readonly ruleId: string;
  readonly path: string;
  readonly line: number;
  readonly fingerprint: string;
}

/** The findings of a keywarden command as JSON, and its exit code. */
async function findings(
  repo: TempRepo,
  args: readonly string[],
): Promise<{ exitCode: number; findings: Reported[] }> {
  const result = await runCli([...args, "--format", "json"], { cwd: repo.dir });
  expect(result.stderr).not.toContain("internal error");
  const report = JSON.parse(result.stdout) as { findings: Reported[] };
  return {
    exitCode: result.exitCode,
    findings: report.findings.map(({ ruleId, path, line, fingerprint }) => ({
      ruleId,
      path,
      line,
      fingerprint,
    })),
  };
}

const deepseekKey = () => `sk-${randomBytes(16).toString("hex")}`;

/** DeepSeek keys named once at their top: the fourth is five lines below the name. */
const pool = (keys: readonly string[]) =>
  `# Round-robin pool of DeepSeek keys\nPOOL = [\n${keys.map((key) => `    "${key}",\n`).join("")}]\n`;

/**
 * Staged, then committed and read as a range: both report `expected`, as a scan of the files
 * reports them.
 */
async function expectSameAsScan(repo: TempRepo, paths: readonly string[], expected: Reported[]) {
  const scan = await findings(repo, ["scan", ...paths]);
  for (const finding of expected) expect(scan.findings).toContainEqual(finding);
  expect(await findings(repo, ["staged"])).toEqual({ exitCode: 1, findings: expected });
  repo.git("commit", "-q", "--no-verify", "-m", "change");
  const range = await findings(repo, ["history", "--range", "HEAD~1..HEAD"]);
  expect(range).toEqual({ exitCode: 1, findings: expected });
}

describe("staged and history --range read as far around added lines as the rules reach", () => {
  it("reports a key whose provider is named beyond the three lines around it, under the rule scan reports", async () => {
    const repo = makeTempRepo();
    const keys = [deepseekKey(), deepseekKey(), deepseekKey()];
    // An assignment the generic rule also reads: the provider's rule explains it.
    const client = "# DeepSeek client settings\nimport os\n\ntimeout = 30\nretries = 3\n";
    repo.commit("base", { "pool.py": pool(keys), "client.py": client });
    const added = deepseekKey();
    const assigned = deepseekKey();
    repo.write({
      "pool.py": pool([...keys, added]),
      "client.py": `${client}api_key = "${assigned}"\n`,
    });
    repo.git("add", "-A");
    const scan = await findings(repo, ["scan", "pool.py", "client.py"]);
    const expected = scan.findings.filter((finding) => finding.line === 6);
    expect(expected.map((finding) => [finding.path, finding.ruleId])).toEqual([
      ["client.py", "deepseek-api-key"],
      ["pool.py", "deepseek-api-key"],
    ]);
    // The keys already there, on lines the change leaves alone, are not the commit's.
    await expectSameAsScan(repo, ["pool.py", "client.py"], expected);
  });

  it("reports a private key whose body changes between its unchanged first and last lines", async () => {
    const repo = makeTempRepo();
    const pem = () =>
      generateKeyPairSync("rsa", { modulusLength: 2048 })
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString();
    const before = pem().split("\n");
    repo.commit("base", { "deploy/id_rsa": `${before.join("\n")}` });
    // A line in the middle of the body, far from both markers.
    const after = [...before];
    after[14] = pem().split("\n")[14]!;
    repo.write({ "deploy/id_rsa": after.join("\n") });
    repo.git("add", "-A");
    const scan = await findings(repo, ["scan", "deploy/id_rsa"]);
    expect(scan.findings.map((finding) => [finding.ruleId, finding.line])).toEqual([
      ["private-key", 1],
    ]);
    await expectSameAsScan(repo, ["deploy/id_rsa"], scan.findings);
  });

  it("reads the new version of a file longer than its diff shows", async () => {
    const repo = makeTempRepo();
    const filler = (count: number, from: number) =>
      Array.from({ length: count }, (_, i) => `value_${from + i} = compute(${from + i})\n`).join(
        "",
      );
    const top = filler(3000, 0);
    const bottom = filler(3000, 3000);
    const keys = [deepseekKey(), deepseekKey(), deepseekKey()];
    repo.commit("base", { "settings.py": top + pool(keys) + bottom });
    repo.write({ "settings.py": top + pool([...keys, deepseekKey()]) + bottom });
    repo.git("add", "-A");
    const scan = await findings(repo, ["scan", "settings.py"]);
    const expected = scan.findings.filter((finding) => finding.line === 3000 + 6);
    expect(expected.map((finding) => finding.ruleId)).toEqual(["deepseek-api-key"]);
    await expectSameAsScan(repo, ["settings.py"], expected);
  });
});
