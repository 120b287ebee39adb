import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportFinding } from "../../src/types.js";
import { plantedKey } from "../git/helpers.js";
import { makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

/** The secrets a JSON report of this run lists, sorted, and its exit code. */
async function reported(cwd: string, args: readonly string[], input?: string) {
  const result = await runCli([...args, "--format", "json", "--no-redact"], {
    cwd,
    ...(input !== undefined ? { input } : {}),
  });
  expect(result.stderr).not.toMatch(/Error|at .*\.js/);
  const findings = (JSON.parse(result.stdout) as { findings: ReportFinding[] }).findings;
  return { exitCode: result.exitCode, secrets: findings.map((f) => f.secret).sort() };
}

describe("other scanners' inline allow comments", () => {
  it("honours gitleaks:allow, ggignore and detect-secrets' pragmas in every source", async () => {
    const allowed = Array.from({ length: 5 }, plantedKey);
    const kept = Array.from({ length: 3 }, plantedKey);
    const repo = makeTempRepo();
    // A nextline pragma already committed: a later commit adds the key below it, so a diff
    // shows the pragma only as context.
    const base = repo.commit("base", { "old.env": "X=1\n# pragma: allowlist nextline secret\n" });
    const text = [
      `A=${allowed[0]} # gitleaks:allow`,
      `B=${allowed[1]} // ggignore`,
      `C=${allowed[2]}  # pragma: allowlist secret`,
      "  # pragma: allowlist nextline secret",
      `D=${allowed[3]}`,
      // Markers inside longer words are none.
      `E=${kept[0]} # see aggignored, gitleaks:allowed, pragma: allowlist secrets`,
      // The nextline pragma reaches the next line only, and only from a line of its own.
      "# pragma: allowlist nextline secret",
      "",
      `F=${kept[1]}`,
      `Y=2 # pragma: allowlist nextline secret`,
      `G=${kept[2]}`,
      "",
    ].join("\n");
    repo.write({
      "a.env": text,
      "old.env": `X=1\n# pragma: allowlist nextline secret\nH=${allowed[4]}\n`,
    });
    repo.git("add", "-A");
    const want = [...kept].sort();
    expect(await reported(repo.dir, ["staged"])).toEqual({ exitCode: 1, secrets: want });
    repo.git("commit", "-q", "-m", "keys");
    expect(await reported(repo.dir, ["scan", "."])).toEqual({ exitCode: 1, secrets: want });
    expect(await reported(repo.dir, ["history"])).toEqual({ exitCode: 1, secrets: want });
    expect(await reported(repo.dir, ["history", "--range", `${base}..HEAD`])).toEqual({
      exitCode: 1,
      secrets: want,
    });
    expect(await reported(repo.dir, ["stdin"], text)).toEqual({ exitCode: 1, secrets: want });
  });

  it("takes no marker that is part of the secret itself", async () => {
    const dir = makeTempDir();
    const password = (marker: string) => `${randomBytes(6).toString("hex")}9/${marker}/Zq`;
    const secrets = [password("keywarden:allow"), password("gitleaks:allow")];
    writeFileSync(join(dir, "a.txt"), secrets.map((s) => `password = "${s}"\n`).join(""));
    expect(await reported(dir, ["scan", "."])).toEqual({ exitCode: 1, secrets: secrets.sort() });
  });

  it("allows a private key by a marker after its END line or a nextline pragma above it", async () => {
    const dir = makeTempDir();
    const pem = () =>
      generateKeyPairSync("rsa", { modulusLength: 1024 })
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString()
        .trimEnd();
    writeFileSync(join(dir, "end.py"), `KEY = """${pem()}"""  # gitleaks:allow\n`);
    writeFileSync(join(dir, "above.pem"), `# pragma: allowlist nextline secret\n${pem()}\n`);
    const plain = pem();
    writeFileSync(join(dir, "plain.py"), `KEY = """${plain}"""\n`);
    const result = await reported(dir, ["scan", "."]);
    expect(result.exitCode).toBe(1);
    expect(result.secrets).toHaveLength(1);
    expect(result.secrets[0]!.replace(/\r/g, "")).toBe(plain);
  });
});
