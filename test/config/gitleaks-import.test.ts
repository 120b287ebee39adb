import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { importGitleaksConfig } from "../../src/config/gitleaks-import.js";
import { builtinEquivalents } from "../../src/config/gitleaks-rule-ids.js";
import { loadConfig } from "../../src/config/load-config.js";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { createDetector } from "../../src/engine/detector.js";
import { ConfigError } from "../../src/errors.js";
import { plantedKey } from "../git/helpers.js";
import { makeTempDir } from "../helpers/git-repo.js";
import { REPO_ROOT, runCli } from "../helpers/run-cli.js";

/**
 * gitleaks' own fixture configs and expected reports (the shared corpus, at ../shared/corpus from
 * the repository, as in CI): every config converts (or is refused where gitleaks refuses it), and
 * the converted rules find what gitleaks' tests expect.
 */

const CORPUS = join(REPO_ROOT, "..", "shared", "corpus");
const CONFIGS = join(CORPUS, "gitleaks", "testdata", "config");
const hasCorpus = existsSync(join(CORPUS, "gitleaks.jsonl")) && existsSync(CONFIGS);
if (!hasCorpus)
  console.warn(`gitleaks-import.test.ts skipped: the shared corpus is not at ${CORPUS}`);

/** Bases that extend past gitleaks' depth limit into a file that does not exist: gitleaks refuses them too. */
const REFUSED_VALID = new Set(["valid/extend_base_1.toml", "valid/extend_base_2.toml"]);

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

async function convert(relativePath: string) {
  const absolutePath = join(CONFIGS, relativePath);
  const builtin = await loadBuiltinRules();
  return importGitleaksConfig({
    file: relativePath,
    text: readFileSync(absolutePath, "utf8"),
    absolutePath,
    cwd: REPO_ROOT,
    readFile: readIfExists,
    builtinRuleIds: new Set(builtin.map((rule) => rule.id)),
  });
}

function configFiles(folder: string): string[] {
  return readdirSync(join(CONFIGS, folder))
    .filter((name) => name.endsWith(".toml"))
    .map((name) => (folder === "." ? name : `${folder}/${name}`))
    .sort();
}

interface JsonlRecord {
  type: string;
  mode?: string;
  case?: string;
  kind: "tp" | "fp";
  config: string;
  target?: string;
  path?: string;
  commit?: string;
  text?: string;
  setup?: string;
  expected: { rule: string; file: string; start_line: number }[];
}

function records(type: string): JsonlRecord[] {
  return readFileSync(join(CORPUS, "gitleaks.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonlRecord)
    .filter((record) => record.type === type);
}

describe.skipIf(!hasCorpus)("keywarden import gitleaks on gitleaks' fixture configs", () => {
  it("converts every valid config into a config keywarden loads", async () => {
    const files = [...configFiles("."), ...configFiles("valid")];
    expect(files.length).toBeGreaterThan(35);
    for (const file of files) {
      if (REFUSED_VALID.has(file)) {
        await expect(convert(file), file).rejects.toThrow(
          /\[extend\] path .*extend_3\.toml: no such file/,
        );
        continue;
      }
      const result = await convert(file);
      const config = await loadConfig({
        cwd: REPO_ROOT,
        configText: { text: result.yaml, name: file },
      });
      const custom = config.rules.filter((rule) => !rule.source.builtin);
      expect(custom.length, file).toBe(result.rulesConverted);
    }
  });

  it("refuses each invalid config with one line, as gitleaks does", async () => {
    const files = configFiles("invalid");
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const error = await convert(file).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, file).toBeInstanceOf(ConfigError);
      expect((error as Error).message, file).toMatch(/^invalid\/[\w.]+\.toml: [^\n]+$/);
    }
  });

  it("follows [extend] path to gitleaks' depth, merges rules and reports what it leaves out", async () => {
    const result = await convert("valid/extend.toml");
    expect(result.yaml).toMatch(/id: aws-secret-key\n/);
    expect(result.yaml).toMatch(/id: aws-access-key\n/);
    expect(result.yaml).toMatch(/id: aws-secret-key-again\n/);
    expect(result.notes.some((note) => note.includes("stops at 2 levels of extend"))).toBe(true);

    const disabled = await convert("valid/extend_disabled.toml");
    expect(disabled.yaml).not.toContain("custom-rule1");
    const and = await convert("valid/extend_rule_allowlist_and.toml");
    expect(and.notes.some((note) => note.includes("condition AND"))).toBe(true);
    expect(and.yaml).toContain("- fake");
    const targeted = await convert("valid/allowlist_global_target_rules.toml");
    // The path ends at $: no glob names that file alone (see the test of targetRules below).
    expect(targeted.notes).toContainEqual(
      expect.stringMatching(/allowlists\[1\]: path .*@octokit.* not converted: /),
    );
    const useDefault = await convert("valid/allowlist_rule_extend_default.toml");
    expect(useDefault.yaml).toMatch(/^useDefault: true$/m);
  });

  it("converted rules flag and pass the same fragments as gitleaks' detector tests", async () => {
    // Cases whose feature has no keywarden counterpart in an imported config, with the reason.
    const notComparable: Record<string, string> = {
      "allowlist - ignore path when extending":
        "changes a gitleaks default rule; keywarden's built-in rules cannot be changed from a config",
      "detect encoded": "hex and percent decoding: keywarden decodes base64 only",
      "global allowlist - ignore, matches all conditions":
        "condition AND over several kinds is not converted (it would hide more as OR)",
      "ignore finding - our config file": "gitleaks skips its own config file by name",
      "rule - detect path": "path-only rules report files by name; not converted",
      "valid allow comment (1)": "inline allow comments are keywarden:allow, not gitleaks:allow",
      "valid allow comment (2)": "inline allow comments are keywarden:allow, not gitleaks:allow",
    };
    const cases = records("fragment");
    expect(cases.length).toBeGreaterThan(20);
    let compared = 0;
    for (const record of cases) {
      if (notComparable[record.case!.trim()]) continue;
      const file = relative(CONFIGS, join(CORPUS, record.config));
      const { yaml } = await convert(file);
      const config = await loadConfig({ cwd: REPO_ROOT, configText: { text: yaml, name: file } });
      const detector = createDetector(config.rules, {
        globalAllow: config.allow,
        maxDecodeDepth: config.decodeDepth,
      });
      const findings = detector.detect({
        text: record.text!,
        path: record.path ?? "fragment.txt",
        startLine: 1,
        ...(record.commit
          ? {
              git: {
                commit: record.commit,
                author: "a",
                email: "a@example.test",
                date: "2024-01-01T00:00:00Z",
              },
            }
          : {}),
      });
      const found = findings.length > 0;
      expect(
        found,
        `${record.case} (${record.kind}): ${findings.map((f) => f.ruleId).join(", ")}`,
      ).toBe(record.kind === "tp");
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(15);
  });

  it("the CLI converts, and converted rules find what gitleaks finds on its fixture trees", async () => {
    const work = makeTempDir();
    const scans = records("scan").filter((record) => record.mode === "files");
    expect(scans.length).toBeGreaterThanOrEqual(5);
    const converted = new Map<string, string>();
    for (const record of scans) {
      const configPath = join(CORPUS, record.config);
      if (converted.has(configPath)) continue;
      const out = join(work, `${converted.size}.keywarden.yaml`);
      const result = await runCli(["import", "gitleaks", configPath, "--output", out], {
        cwd: work,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/keywarden: \d+ rules? converted to /);
      converted.set(configPath, out);
    }

    for (const record of scans) {
      let target = join(CORPUS, record.target!);
      let expectedFiles = record.expected.map((e) => ({ ...e, absolute: join(CORPUS, e.file) }));
      if (record.target!.includes("symlinks")) {
        // The corpus keeps the symlink as a text file. keywarden does not follow symlinks, so the
        // rules are checked on the file the link points at.
        const tree = join(work, "symlinks");
        mkdirSync(join(tree, "source_file"), { recursive: true });
        copyFileSync(
          join(CORPUS, "gitleaks/testdata/repos/symlinks/source_file/id_ed25519"),
          join(tree, "source_file", "id_ed25519"),
        );
        mkdirSync(join(tree, "file_symlink"), { recursive: true });
        symlinkSync(
          "../source_file/id_ed25519",
          join(tree, "file_symlink", "symlinked_id_ed25519"),
        );
        target = join(tree, "source_file");
        expectedFiles = expectedFiles.map((e) => ({
          ...e,
          absolute: join(tree, "source_file", "id_ed25519"),
        }));
      }
      const cwd =
        existsSync(target) && !target.endsWith(".go") && !target.endsWith(".prod")
          ? target
          : dirname(target);
      const result = await runCli(
        [
          "scan",
          target,
          "--config",
          converted.get(join(CORPUS, record.config))!,
          "--format",
          "json",
          "--no-redact",
        ],
        { cwd },
      );
      expect(result.exitCode, `${record.target}: ${result.stderr}`).toBe(
        record.expected.length > 0 ? 1 : 0,
      );
      const found = (
        JSON.parse(result.stdout).findings as { ruleId: string; path: string; line: number }[]
      )
        .map((f) => `${f.ruleId} ${resolve(cwd, f.path)}:${f.line}`)
        .sort();
      const expected = expectedFiles.map((e) => `${e.rule} ${e.absolute}:${e.start_line}`).sort();
      expect(found, `${record.target} with ${record.config}`).toEqual(expected);
    }
  });
});

describe("keywarden import gitleaks: [extend] disabledRules", () => {
  async function importText(text: string) {
    const builtin = await loadBuiltinRules();
    return importGitleaksConfig({
      file: ".gitleaks.toml",
      text,
      absolutePath: join(REPO_ROOT, ".gitleaks.toml"),
      cwd: REPO_ROOT,
      readFile: () => undefined,
      builtinRuleIds: new Set(builtin.map((rule) => rule.id)),
    });
  }

  it("lists a rule whose regex repeats a repeat as not converted: RE2 runs it, JavaScript would hang", async () => {
    const result = await importText(
      [
        "[[rules]]",
        'id = "nested"',
        "regex = '''nested_((?:[a-z0-9]+)+)$'''",
        "[[rules]]",
        'id = "plain"',
        "regex = '''plain_([a-z0-9]{16})'''",
      ].join("\n"),
    );
    expect(result.rulesConverted).toBe(1);
    expect(result.rulesSkipped).toBe(1);
    expect(result.yaml).toContain("id: plain");
    expect(result.notes).toContainEqual(
      expect.stringMatching(/^rule nested: converted rule does not load \(.*repeats a repeat/),
    );
  });

  it("heads the converted file with a pointer to a README section that exists", async () => {
    const result = await importText("[extend]\nuseDefault = true\n");
    const section = /\(README: ([^)]+)\)/.exec(result.yaml)?.[1];
    expect(section).toBeDefined();
    const headings = readFileSync(join(REPO_ROOT, "README.md"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("#"))
      .map((line) => line.replace(/^#+ /, ""));
    expect(headings).toContain(section);
  });

  it("disables keywarden's equivalents of gitleaks default rules with other ids", async () => {
    const result = await importText(
      [
        "[extend]",
        "useDefault = true",
        'disabledRules = ["generic-api-key", "stripe-access-token", "jwt", "bittrex-access-key", "discord-client-id"]',
      ].join("\n"),
    );
    const config = await loadConfig({
      cwd: REPO_ROOT,
      configText: { text: result.yaml, name: ".keywarden.yaml" },
    });
    const ids = new Set(config.rules.map((rule) => rule.id));
    for (const id of ["generic-secret", "stripe-live-secret-key", "stripe-test-secret-key", "jwt"])
      expect(ids.has(id), id).toBe(false);
    expect(result.notes).toContain(
      "disabledRules generic-api-key: keywarden's equivalent generic-secret is disabled",
    );
    // gitleaks' bittrex-secret-key, still on, finds what keywarden's one bittrex rule finds.
    expect(ids.has("bittrex-api-key")).toBe(true);
    expect(result.notes).toContain(
      "disabledRules bittrex-access-key: keywarden's bittrex-api-key also does the work of bittrex-secret-key, which stays on; bittrex-api-key not disabled",
    );
    expect(result.notes).toContain(
      "disabledRules discord-client-id: no keywarden rule with that id or doing that rule's work; nothing to disable",
    );
  });

  it("disables keywarden's equivalent of a default rule redefined under gitleaks' id", async () => {
    const redefine = (ids: string[]) =>
      importText(
        [
          "[extend]",
          "useDefault = true",
          ...ids.flatMap((id) => [
            "[[rules]]",
            `id = "${id}"`,
            `regex = '${id}_[A-Z2-7]{16}'`,
            `keywords = ["${id}"]`,
            "[[rules.allowlists]]",
            "regexTarget = 'line'",
            "regexes = ['test-only']",
          ]),
        ].join("\n"),
      );
    const aws = await redefine(["aws-access-token"]);
    const config = await loadConfig({
      cwd: REPO_ROOT,
      configText: { text: aws.yaml, name: ".keywarden.yaml" },
    });
    const ids = new Set(config.rules.map((rule) => rule.id));
    expect(ids.has("aws-access-key-id")).toBe(false);
    expect(ids.has("aws-access-token")).toBe(true);
    expect(aws.notes).toContain(
      "rule aws-access-token: replaces the keywarden built-in rule aws-access-key-id, which is disabled",
    );
    // keywarden's one bittrex rule does the work of both gitleaks rules: off only when both are redefined.
    const one = await redefine(["bittrex-access-key"]);
    expect(one.yaml).not.toMatch(/disable:/);
    expect(one.notes).toContain(
      "rule bittrex-access-key: redefines a gitleaks default rule; keywarden's bittrex-api-key also does the work of bittrex-secret-key, which stays on; bittrex-api-key not disabled",
    );
    const both = await redefine(["bittrex-access-key", "bittrex-secret-key"]);
    expect(both.yaml).toMatch(/disable:\n {2}- bittrex-api-key\n/);
  });

  it("leaves out an allowlist path whose globs would allow more paths than its regex", async () => {
    const result = await importText(
      [
        "[[rules]]",
        'id = "tok-token"',
        "regex = 'tok_[a-z0-9]{24}'",
        'keywords = ["tok_"]',
        "[[rules.allowlists]]",
        "paths = ['[0-9]+\\.json$', '^fixtures/']",
      ].join("\n"),
    );
    expect(result.yaml).toContain("- fixtures/*");
    expect(result.yaml).not.toMatch(/^\s+- .*\.json/m);
    expect(result.notes).toContain(
      'rule tok-token allowlists[0]: path "[0-9]+\\\\.json$" not converted: [0-9] repeated would become * (any characters within a path segment); **/**.json would also cover the files in a folder so named (the regex ends at $), which would allow more paths than gitleaks does',
    );
  });

  it("notes keywords no match can hold: gitleaks reads them file-wide, keywarden only near them", async () => {
    const result = await importText(
      [
        "[[rules]]",
        'id = "acme-hex"',
        "regex = '''\\b[a-f0-9]{40}\\b'''",
        'keywords = ["acme"]',
        // As gitleaks' sourcegraph-access-token: one way through the regex holds no keyword.
        "[[rules]]",
        'id = "sgp-or-hex"',
        "regex = '''(?i)\\b(sgp_[a-f0-9]{40}|[a-f0-9]{40})\\b'''",
        'keywords = ["sgp_", "sourcegraph"]',
        // As gitleaks' cloudflare-origin-ca-key: every match holds v1.0-, the other keyword adds nothing.
        "[[rules]]",
        'id = "ca-key"',
        "regex = '''\\b(v1\\.0-[a-f0-9]{24})\\b'''",
        'keywords = ["cloudflare", "v1.0-"]',
        // Spelled by a class under (?i): a keyword a match can hold.
        "[[rules]]",
        'id = "spelled"',
        "regex = '''(?i)[a-z]{3}_tok_[A-Z0-9]{20}\\b'''",
        'keywords = ["abc_tok_"]',
      ].join("\n"),
    );
    const noted = result.notes.filter((note) => note.includes("cannot occur in a match"));
    expect(noted).toEqual([
      expect.stringMatching(
        /^rule acme-hex: keywords acme cannot occur in a match of the regex: gitleaks runs the rule on any file holding one/,
      ),
      expect.stringMatching(/^rule sgp-or-hex: keywords sourcegraph cannot occur/),
    ]);
    // Noted, not changed: the keywords stay, so the rule still looks where they are.
    const rules = (parseYaml(result.yaml) as { rules: { id: string; keywords: string[] }[] }).rules;
    expect(rules.map((rule) => rule.id)).toEqual(["acme-hex", "sgp-or-hex", "ca-key", "spelled"]);
    expect(rules[0]!.keywords).toEqual(["acme"]);
  });

  it("attaches a global allowlist with targetRules to those rules only", async () => {
    const result = await importText(
      [
        "[[rules]]",
        'id = "tok-token"',
        "regex = 'tok_[a-z0-9]{24}'",
        'keywords = ["tok_"]',
        "[[rules]]",
        'id = "pat-token"',
        "regex = 'pat_[a-z0-9]{24}'",
        'keywords = ["pat_"]',
        "[[allowlists]]",
        'targetRules = ["pat-token"]',
        "paths = ['(?:^|/)fixtures/']",
      ].join("\n"),
    );
    const rules = (parseYaml(result.yaml) as { rules: { id: string; allow?: unknown }[] }).rules;
    expect(rules.map((rule) => [rule.id, rule.allow])).toEqual([
      ["tok-token", undefined],
      ["pat-token", { paths: ["**/fixtures/*"] }],
    ]);
  });

  it("leaves out an allowlist path ending at $: its glob would also allow the files of a folder so named", async () => {
    const dir = makeTempDir();
    writeFileSync(
      join(dir, ".gitleaks.toml"),
      "[extend]\nuseDefault = true\n[[allowlists]]\npaths = ['(.*?)(jpg|gif|doc|pdf|bin)$', '\\.lock$', '^fixtures/']\n",
    );
    const imported = await runCli(["import", "gitleaks"], { cwd: dir });
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      'path "(.*?)(jpg|gif|doc|pdf|bin)$" not converted: **/*{jpg,gif,doc,pdf,bin} would also cover the files in a folder so named',
    );
    expect(imported.stderr).toContain('path "\\\\.lock$" not converted');
    const key = plantedKey();
    const paths = ["bin/config.env", "deps.lock/app.env", "fixtures/app.env", "src/robin/app.env"];
    for (const path of paths) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `LLAMA_API_KEY=${key}\n`);
    }
    const scan = await runCli(["scan", "-q", "--format", "json"], { cwd: dir });
    expect(scan.exitCode, scan.stderr).toBe(1);
    const found = (JSON.parse(scan.stdout).findings as { path: string }[]).map((f) => f.path);
    // As gitleaks reports them: none of these paths ends in bin or .lock.
    expect(found).toEqual(["bin/config.env", "deps.lock/app.env", "src/robin/app.env"]);
  });

  it.skipIf(!hasCorpus)(
    "maps gitleaks default rule ids only to keywarden built-in rules",
    async () => {
      const defaults = readFileSync(join(CORPUS, "gitleaks", "config", "gitleaks.toml"), "utf8");
      const gitleaksIds = [...defaults.matchAll(/^id = "([^"]+)"$/gm)].map((match) => match[1]!);
      expect(gitleaksIds.length).toBeGreaterThan(150);
      const builtin = new Set((await loadBuiltinRules()).map((rule) => rule.id));
      for (const id of gitleaksIds) {
        const targets = builtinEquivalents(id);
        if (targets.length === 1 && targets[0] === id) continue;
        for (const target of targets) expect(builtin.has(target), `${id} -> ${target}`).toBe(true);
      }
    },
  );
});
