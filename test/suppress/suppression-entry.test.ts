import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import {
  entryMatches,
  formatSuppressionEntry,
  parseSuppressionEntry,
  type SuppressibleFinding,
  type SuppressionEntry,
} from "../../src/suppress/suppression-entry.js";

function parse(text: string): SuppressionEntry {
  const parsed = parseSuppressionEntry(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

const fingerprint = expandTemplate("{{hex:32}}");
const commit = expandTemplate("{{hex:40}}");
const finding: SuppressibleFinding = {
  ruleId: "github-pat",
  path: "config/app.env",
  line: 7,
  fingerprint,
};

describe("parseSuppressionEntry", () => {
  it("reads the three forms", () => {
    expect(parse(fingerprint)).toEqual({ kind: "fingerprint", fingerprint });
    expect(parse(`config/app.env:${fingerprint}`)).toEqual({
      kind: "fingerprint",
      fingerprint,
      path: "config/app.env",
    });
    expect(parse(`${commit}:config/app.env:github-pat:7`)).toEqual({
      kind: "location",
      commit,
      path: "config/app.env",
      ruleId: "github-pat",
      line: 7,
    });
    expect(parse("config/app.env:github-pat:7")).toEqual({
      kind: "location",
      path: "config/app.env",
      ruleId: "github-pat",
      line: 7,
    });
  });

  it("keeps colons inside paths and strips ./", () => {
    expect(parse(`./c:/odd:name.env:${fingerprint}`)).toEqual({
      kind: "fingerprint",
      fingerprint,
      path: "c:/odd:name.env",
    });
  });

  it("explains what it cannot read", () => {
    for (const bad of [
      "",
      "not-a-fingerprint",
      `${fingerprint.slice(0, 31)}`,
      ":github-pat:7",
      "a.env:rule:0",
    ]) {
      const parsed = parseSuppressionEntry(bad);
      expect("error" in parsed, bad).toBe(true);
    }
  });

  it("writes each form back the same way", () => {
    for (const text of [
      fingerprint,
      `a/b.env:${fingerprint}`,
      `${commit}:a/b.env:github-pat:7`,
      "a/b.env:github-pat:7",
    ]) {
      expect(formatSuppressionEntry(parse(text))).toBe(text);
    }
  });
});

describe("entryMatches", () => {
  it("matches a fingerprint wherever the finding is", () => {
    expect(entryMatches(parse(fingerprint), finding)).toBe(true);
    expect(entryMatches(parse(fingerprint), { ...finding, path: "elsewhere.txt", line: 99 })).toBe(
      true,
    );
    expect(entryMatches(parse(expandTemplate("{{hex:32}}")), finding)).toBe(false);
  });

  it("scopes a fingerprint to its path, that path alone", () => {
    const entry = parse(`config/app.env:${fingerprint}`);
    expect(entryMatches(entry, finding)).toBe(true);
    expect(entryMatches(entry, { ...finding, path: "./config/app.env" })).toBe(true);
    expect(entryMatches(entry, { ...finding, path: "other/app.env" })).toBe(false);
    // Paths from other folders are rebased before they get here (applySuppressions).
    expect(entryMatches(entry, { ...finding, path: "app.env" })).toBe(false);
    expect(entryMatches(parse(`app.env:${fingerprint}`), finding)).toBe(false);
  });

  it("reads gitleaks' rule ids in gitleaks entries as the keywarden rules doing their work", () => {
    const aws = { ...finding, ruleId: "aws-access-key-id" };
    expect(entryMatches(parse("config/app.env:aws-access-token:7"), aws)).toBe(true);
    expect(entryMatches(parse("config/app.env:aws-access-token:7"), finding)).toBe(false);
    const openai = { ...finding, ruleId: "openai-project-key" };
    expect(entryMatches(parse("config/app.env:openai-api-key:7"), openai)).toBe(true);
  });

  it("reads gitleaks' catch-all generic-api-key as any rule at its place, with its secret when recorded", () => {
    const together = { ...finding, ruleId: "together-api-key", secret: "tgp_v1_abc" };
    const generic = parse("config/app.env:generic-api-key:7");
    expect(entryMatches(generic, together)).toBe(true);
    expect(entryMatches(generic, { ...together, line: 8 })).toBe(false);
    expect(entryMatches(generic, { ...together, path: "other.env" })).toBe(false);
    const recorded = (secret: string) => ({ ...generic, secret });
    expect(entryMatches(recorded("tgp_v1_abc"), together, true)).toBe(true);
    expect(entryMatches(recorded("tgp_v1_xyz"), together, true)).toBe(false);
    // As gitleaks --redact writes it.
    expect(entryMatches(recorded("REDACTED"), together, true)).toBe(true);
    expect(entryMatches(recorded("tgp_v1..."), together, true)).toBe(true);
    expect(entryMatches(recorded("tgp_v2..."), together, true)).toBe(false);
    // Other gitleaks ids still name their own rules only.
    expect(entryMatches(parse("config/app.env:github-pat:7"), together)).toBe(false);
  });

  it("ties gitleaks entries to rule, line and (when given) commit", () => {
    const location = parse("config/app.env:github-pat:7");
    expect(entryMatches(location, finding)).toBe(true);
    expect(entryMatches(location, { ...finding, line: 8 })).toBe(false);
    expect(entryMatches(location, { ...finding, ruleId: "gitlab-pat" })).toBe(false);
    const withCommit = parse(`${commit}:config/app.env:github-pat:7`);
    expect(entryMatches(withCommit, finding)).toBe(false);
    expect(entryMatches(withCommit, { ...finding, commit })).toBe(true);
    expect(
      entryMatches(parse(`${commit.slice(0, 12)}:config/app.env:github-pat:7`), {
        ...finding,
        commit,
      }),
    ).toBe(true);
  });

  it("reads an entry that climbs out of its folder (gitleaks writes paths from where it ran) by its end", () => {
    const entry = parse("../testdata/repos/nogit/api.go:aws-access-key:20");
    const at = (path: string) => ({ ruleId: "aws-access-key", path, line: 20, fingerprint });
    expect(entryMatches(entry, at("api.go"))).toBe(true);
    expect(entryMatches(entry, at("main.go"))).toBe(false);
    // An entry that stays in its folder names that path alone, unless read loosely (a gitleaks
    // report used as a baseline).
    const inFolder = parse("repos/nogit/api.go:aws-access-key:20");
    expect(entryMatches(inFolder, at("api.go"))).toBe(false);
    expect(entryMatches(inFolder, at("api.go"), true)).toBe(true);
    expect(entryMatches(parse("api.go:aws-access-key:20"), at("x/api.go"), true)).toBe(true);
  });
});
