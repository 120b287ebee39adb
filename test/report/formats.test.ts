import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { formatCsv } from "../../src/report/csv.js";
import { escapeCommandProperty, formatGithub } from "../../src/report/github.js";
import { formatHtml } from "../../src/report/html.js";
import { formatJson } from "../../src/report/json.js";
import { formatJsonLines } from "../../src/report/jsonl.js";
import { formatJunit } from "../../src/report/junit.js";
import { formatMarkdown } from "../../src/report/markdown.js";
import { REPORTERS } from "../../src/report/registry.js";
import { formatSarif, SARIF_FINGERPRINT_KEY } from "../../src/report/sarif.js";
import { formatText } from "../../src/report/text.js";
import { sarifSchemaErrors } from "../helpers/sarif-schema.js";
import { makeFixture } from "./report-fixture.js";

/** RFC 4180 records: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += char;
  }
  return rows;
}

/** File names holding a line feed, a carriage return and a tab: legal on Linux, and lost easily. */
const WHITESPACE_PATHS = ["new\nline.env", "carriage\rreturn.env", "tab\there.env"];

describe("SARIF", () => {
  it("validates against the official SARIF 2.1.0 schema, with and without git provenance", () => {
    const { input } = makeFixture();
    const plain = JSON.parse(formatSarif(input()));
    expect(sarifSchemaErrors(plain)).toBeUndefined();
    const withRepo = JSON.parse(
      formatSarif({
        ...input(),
        repository: { uri: "file:///work/repo/", revision: "a".repeat(40), branch: "main" },
      }),
    );
    expect(sarifSchemaErrors(withRepo)).toBeUndefined();
    const empty = JSON.parse(formatSarif({ ...input(), findings: [] }));
    expect(sarifSchemaErrors(empty)).toBeUndefined();
  });

  it("the schema is not a pushover: a broken log fails it", () => {
    const log = JSON.parse(formatSarif(makeFixture().input()));
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(sarifSchemaErrors(log)).toBeDefined();
  });

  it("carries rule help, regions, fingerprints and the commit", () => {
    const { input, findings } = makeFixture();
    const log = JSON.parse(
      formatSarif({
        ...input(),
        repository: { uri: "https://example.test/org/repo", revision: "b".repeat(40) },
      }),
    );
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: "keywarden", version: "1.2.3" });
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      "aws-access-key-id",
      "github-pat",
      "openai-project-key",
      "slack-bot-token",
    ]);
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text).toMatch(/^Rotate the /);
      expect(rule.properties["security-severity"]).toMatch(/^\d+\.\d$/);
    }
    expect(run.results).toHaveLength(findings.length);
    const openai = run.results.find((r: { ruleId: string }) => r.ruleId === "openai-project-key");
    expect(openai.locations[0].physicalLocation.artifactLocation.uri).toBe(
      "dir%20with%20space/%C3%A4%7Cb%2Cc%3Ad.py",
    );
    expect(openai.locations[0].physicalLocation.region).toMatchObject({
      startLine: 12,
      startColumn: 5,
      endLine: 12,
    });
    // The key and its file: one key in two files is two alerts.
    expect(openai.partialFingerprints[SARIF_FINGERPRINT_KEY]).toBe(
      `${findings[1]!.fingerprint}:${findings[1]!.path}`,
    );
    expect(openai.properties.fingerprint).toBe(findings[1]!.fingerprint);
    expect(openai.properties.commit).toBe(findings[1]!.git!.commit);
    expect(run.rules?.[openai.ruleIndex] ?? run.tool.driver.rules[openai.ruleIndex].id).toBe(
      "openai-project-key",
    );
    expect(run.versionControlProvenance).toEqual([
      {
        repositoryUri: "https://example.test/org/repo",
        revisionId: "b".repeat(40),
        mappedTo: { uriBaseId: "%SRCROOT%" },
      },
    ]);
  });

  it("is byte-identical for the same findings in another order", () => {
    const { input } = makeFixture();
    const a = input();
    expect(formatSarif({ ...a, findings: [...a.findings].reverse() })).toBe(formatSarif(a));
  });
});

describe("JUnit", () => {
  it("is well-formed XML with one failed testcase per finding", () => {
    const { input, findings } = makeFixture();
    const xml = formatJunit(input());
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === "testcase",
    }).parse(xml);
    const cases = doc.testsuites.testsuite.testcase as {
      "@_name": string;
      failure: { "@_type": string };
    }[];
    expect(cases).toHaveLength(findings.length);
    expect(doc.testsuites.testsuite["@_tests"]).toBe(String(findings.length));
    expect(cases.map((c) => c.failure["@_type"]).sort()).toEqual(
      findings.map((f) => f.ruleId).sort(),
    );
    expect(cases.some((c) => c["@_name"].includes("dir with space/ä|b,c:d.py:12:5"))).toBe(true);
  });

  it("writes a line break or tab in an attribute as a character reference, so it reads back", () => {
    const { input } = makeFixture();
    const report = input();
    const findings = WHITESPACE_PATHS.map((path) => ({ ...report.findings[0]!, path }));
    const xml = formatJunit({ ...report, findings });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('file="new&#10;line.env"');
    expect(xml).toContain('file="carriage&#13;return.env"');
    expect(xml).toContain('file="tab&#9;here.env"');
    // No raw line break or tab is left inside any tag (where a parser would read a space).
    expect(xml).not.toMatch(/<[^>]*[\r\t][^>]*>/);
    expect(xml.match(/<testcase [^>]*>/g)!.every((tag) => !tag.includes("\n"))).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      htmlEntities: true,
      isArray: (name) => name === "testcase",
    }).parse(xml);
    const files = (doc.testsuites.testsuite.testcase as { "@_file": string }[]).map(
      (c) => c["@_file"],
    );
    expect(files.sort()).toEqual([...WHITESPACE_PATHS].sort());
  });

  it("a clean scan is an empty, valid suite", () => {
    const xml = formatJunit({ ...makeFixture().input(), findings: [] });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('tests="0"');
  });
});

describe("CSV", () => {
  it("has a header and one record per finding, commas and quotes escaped", () => {
    const { input, findings } = makeFixture();
    const csv = formatCsv(input());
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(findings.length + 1);
    const header = rows[0]!;
    expect(header.slice(0, 6)).toEqual([
      "rule_id",
      "title",
      "provider",
      "severity",
      "path",
      "line",
    ]);
    for (const row of rows.slice(1)) expect(row).toHaveLength(header.length);
    const paths = rows.slice(1).map((row) => row[header.indexOf("path")]);
    expect(paths).toContain("dir with space/ä|b,c:d.py");
  });

  it("keeps a line break or tab in a path, inside a quoted field", () => {
    const { input } = makeFixture();
    const report = input();
    const findings = WHITESPACE_PATHS.map((path) => ({ ...report.findings[0]!, path }));
    const csv = formatCsv({ ...report, findings });
    expect(csv).toContain('"new\nline.env"');
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(findings.length + 1);
    for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
    const paths = rows.slice(1).map((row) => row[rows[0]!.indexOf("path")]);
    expect(paths.sort()).toEqual([...WHITESPACE_PATHS].sort());
  });

  it("defuses values a spreadsheet would run as formulas", () => {
    const { input } = makeFixture();
    const report = input();
    const finding = { ...report.findings[0]!, path: '=HYPERLINK("x")', remediation: "+1" };
    const rows = parseCsv(formatCsv({ ...report, findings: [finding] }));
    expect(rows[1]![rows[0]!.indexOf("path")]).toBe('\'=HYPERLINK("x")');
  });
});

describe("Markdown", () => {
  it("is a table with one row per finding and a fixed number of cells", () => {
    const { input, findings } = makeFixture();
    const md = formatMarkdown(input());
    const rows = md
      .split("\n")
      .filter(
        (line) =>
          line.startsWith("| ") && !line.startsWith("| Severity") && !line.startsWith("| ---"),
      );
    expect(rows).toHaveLength(findings.length);
    // Cells split on unescaped pipes only: every row has the header's 6 cells.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
    expect(md).not.toContain("<script>");
    expect(md).toMatch(/^### keywarden: 4 secrets found in 4 files/);
  });

  it("stays under GitHub's comment limit", () => {
    const { input } = makeFixture();
    const one = input().findings[0]!;
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...one, path: `src/file-${i}.env` }));
    const md = formatMarkdown({ ...input(), findings: many });
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/…and \d+ more findings: see the full report\./);
  });
});

describe("GitHub workflow commands", () => {
  it("one command per finding, no line breaks inside, properties escaped", () => {
    const { input, findings } = makeFixture();
    const text = formatGithub(input());
    const lines = text.split("\n").filter(Boolean);
    expect(lines).toHaveLength(findings.length);
    for (const line of lines)
      expect(line).toMatch(/^::(error|warning|notice) file=[^:]*,line=\d+,col=\d+,/);
    expect(text).toContain(
      `file=${escapeCommandProperty("dir with space/ä|b,c:d.py")},line=12,col=5`,
    );
    expect(escapeCommandProperty("a,b:c%d\ne")).toBe("a%2Cb%3Ac%25d%0Ae");
    // Text from a config or a scanned repo cannot start a second command on its own line.
    const report = input();
    const sneaky = {
      ...report.findings[0]!,
      title: "x\n::error::owned %0A",
      remediation: "y\r\n::warning::z",
    };
    const one = formatGithub({ ...report, findings: [sneaky] });
    expect(one.split("\n").filter(Boolean)).toHaveLength(1);
    expect(one).toContain("title=x%0A%3A%3Aerror%3A%3Aowned %250A");
    expect(one).toContain("y%0D%0A::warning::z");
    expect(lines.filter((line) => line.startsWith("::error"))).toHaveLength(3);
    expect(lines.filter((line) => line.startsWith("::warning"))).toHaveLength(1);
  });

  it("shows terminal escapes from a file's name or a title as text, which the log would play", () => {
    const report = makeFixture().input();
    const sneaky = {
      ...report.findings[0]!,
      path: "src/\x1b[2Kclean.env",
      title: "Key\x1b]8;;https://example.test\x07",
    };
    const one = formatGithub({ ...report, findings: [sneaky] });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
    expect(one.trimEnd()).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(one).toContain("file=src/\\x1b[2Kclean.env");
    expect(one).toContain("title=Key\\x1b]8;;https%3A//example.test\\x07");
  });
});

describe("text", () => {
  it("shows control characters from a scanned repo or a server escaped, on the lines they belong to", () => {
    const report = makeFixture().input();
    const clean = formatText(report);
    // Index 1 has a commit, a verification and a manual revocation: every untrusted field.
    const hostile = report.findings.map((finding, index) =>
      index === 1
        ? {
            ...finding,
            path: "x\x1b[2J\n.env",
            title: "t\x9b31m",
            author: "Eve\x1b]0;owned\x07",
            email: "e\r@example.test",
            verification: { ...finding.verification!, detail: "200\x1b[8m" },
            revocation: { ...finding.revocation!, detail: "by\x7f hand", url: "u\x00" },
            remediation: "fix\tit",
          }
        : finding,
    );
    for (const color of [false, true]) {
      const text = formatText({ ...report, findings: hostile, color });
      // Only the report's own colours remain once escaped names are in.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the SGR sequences styleText writes
      const plain = text.replace(/\x1b\[\d+(?:;\d+)*m/g, "");
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      expect(plain).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(plain.split("\n")).toHaveLength(clean.split("\n").length);
      expect(plain).toContain("x\\x1b[2J\\n.env:12:5  t\\x9b31m");
      expect(plain).toContain("by Eve\\x1b]0;owned\\x07 <e\\r@example.test>");
      expect(plain).toContain("verify: 200\\x1b[8m");
      expect(plain).toContain("fix: fix\\tit");
      expect(plain).toContain("  - t\\x9b31m at x\\x1b[2J\\n.env:12: by\\x7f hand (u\\x00)");
    }
  });
});

describe("HTML", () => {
  it("is one self-contained page: no external resource, a strict CSP, one row per finding", () => {
    const { input, findings } = makeFixture();
    const html = formatHtml(input());
    expect(html.match(/<tr data-provider=/g)).toHaveLength(findings.length);
    expect(html).toContain("Content-Security-Policy");
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/url\(/i);
    // The <script> in a scanned line is text, not markup.
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain("Leaks introduced over time");
  });
});

describe("JSON lines", () => {
  it("is one line per finding, each the JSON report's finding, in the report's order", () => {
    const { input } = makeFixture();
    const lines = formatJsonLines(input());
    const json = JSON.parse(formatJson(input())) as { findings: unknown[] };
    expect(lines.endsWith("\n")).toBe(true);
    const records = lines.trimEnd().split("\n");
    expect(records.length).toBe(json.findings.length);
    expect(records.map((line) => JSON.parse(line))).toEqual(json.findings);
  });

  it("is empty for a clean scan", () => {
    const { input } = makeFixture();
    expect(formatJsonLines({ ...input(), findings: [] })).toBe("");
  });
});

describe("registry", () => {
  it("names every format, each of which renders the fixture", async () => {
    expect(Object.keys(REPORTERS).sort()).toEqual([
      "csv",
      "github",
      "html",
      "json",
      "jsonl",
      "junit",
      "markdown",
      "sarif",
      "text",
    ]);
    const { input } = makeFixture();
    for (const [name, load] of Object.entries(REPORTERS)) {
      const text = (await load())(input());
      expect(text.length, name).toBeGreaterThan(0);
    }
  });
});
