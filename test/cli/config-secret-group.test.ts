import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { makeTempDir } from "../helpers/git-repo.js";
import { runCli } from "../helpers/run-cli.js";

interface JsonReport {
  findings: { ruleId: string; secret: string; metadata?: Record<string, string> }[];
}

function configWith(pattern: string, secretGroup: string): string {
  return [
    "useDefault: false",
    "rules:",
    "  - id: acme-token",
    "    title: ACME token",
    "    provider: acme",
    `    pattern: '${pattern}'`,
    `    secretGroup: ${secretGroup}`,
    "    keywords: [acme_]",
  ].join("\n");
}

describe("a config rule's secretGroup given by index, as gitleaks configs write it", () => {
  it.each([
    ["a number", "1"],
    ["a number written as a string", '"1"'],
  ])("reads the secret from the n-th capturing group for %s", async (_, secretGroup) => {
    const dir = makeTempDir();
    const region = expandTemplate("{{lower:6}}");
    const secret = expandTemplate("{{alnum:32}}");
    writeFileSync(
      join(dir, ".keywarden.yaml"),
      configWith("acme_(?<key>[A-Za-z0-9]{32})_(?<region>[a-z]{6})", secretGroup),
    );
    writeFileSync(join(dir, "app.env"), `ACME=acme_${secret}_${region}\n`);
    const result = await runCli(["scan", ".", "--format", "json", "--no-redact"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(1);
    const [finding] = (JSON.parse(result.stdout) as JsonReport).findings;
    expect(finding?.secret).toBe(secret);
    // The named group that is the secret is not repeated as metadata; the others are.
    expect(finding?.metadata).toEqual({ region });
  });

  it("names the groups a pattern has when the index is past them", async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, ".keywarden.yaml"), configWith("acme_([A-Za-z0-9]{32})", "2"));
    const result = await runCli(["scan", "."], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      "keywarden: .keywarden.yaml:7: rule acme-token field secretGroup: the pattern has only 1 capturing group, so no group 2",
    );
  });
});
