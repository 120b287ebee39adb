import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { formatHtml } from "../../src/report/html.js";
import { formatJunit } from "../../src/report/junit.js";
import { buildLineRedactor } from "../../src/report/line-redactor.js";
import { readJsonReport } from "../../src/report/read-json-report.js";
import { toReportFinding, toReportFindings } from "../../src/report/redact.js";
import { formatSarif } from "../../src/report/sarif.js";
import type { Finding } from "../../src/types.js";
import { makeFixture } from "./report-fixture.js";

/**
 * A finding's line must hide every secret the report found, not only the finding's own, and a
 * key found inside base64 must hide the encoded run, which decodes straight back to it. These
 * run the redaction on findings in memory; redaction.test.ts runs the CLI.
 */

const hideAll = (secret: string) => `<${secret.length}>`;

/** A finding of `secret` at its first place in `lineText` (of the encoded run when given). */
function findingOn(lineText: string, secret: string, encodedRun?: string): Finding {
  const shown = encodedRun ?? secret;
  const at = lineText.indexOf(shown);
  return {
    ruleId: "test-rule",
    title: "Test key",
    provider: "test",
    severity: "high",
    tags: [],
    path: "app.env",
    line: 3,
    column: at + 1,
    endLine: 3,
    endColumn: at + 1 + shown.length,
    secret,
    match: secret,
    lineText,
    metadata: {},
    entropy: 4.5,
    fingerprint: expandTemplate("{{hex:32}}"),
    ...(encodedRun ? { encoding: "base64" as const } : {}),
  };
}

describe("buildLineRedactor", () => {
  it("hides every secret on a line, each as often as it stands there", () => {
    const first = expandTemplate("ghp_{{alnum:36}}");
    const second = expandTemplate("xoxb-{{digits:12}}-{{alnum:24}}");
    const redact = buildLineRedactor([first, second], hideAll);
    expect(redact(`a=${first} b=${second} c=${first}`).text).toBe("a=<40> b=<42> c=<40>");
    expect(redact("no key here").text).toBe("no key here");
  });

  it("hides a secret that holds another whole, and an overlapping one with no tail left", () => {
    const inner = expandTemplate("{{alnum:20}}");
    const outer = `${expandTemplate("{{alnum:6}}")}${inner}`;
    expect(buildLineRedactor([inner, outer], hideAll)(`k=${outer};`).text).toBe("k=<26>;");

    const left = expandTemplate("{{alnum:20}}");
    const right = `${left.slice(10)}${expandTemplate("{{alnum:10}}")}`;
    const line = `k=${left}${right.slice(10)};`;
    const text = buildLineRedactor([left, right], hideAll)(line).text;
    expect(text).toBe("k=<20>;");
    expect(text).not.toContain(right.slice(10));
  });

  it("tells where each raw character went, so a line can be cut around a known secret", () => {
    const secret = expandTemplate("{{alnum:30}}");
    const line = `ab${secret}cd`;
    const redacted = buildLineRedactor([secret], hideAll)(line);
    expect(redacted.text).toBe("ab<30>cd");
    expect(redacted.place(1)).toEqual({ start: 1, end: 2 });
    expect(redacted.place(2)).toEqual({ start: 2, end: 6 });
    expect(redacted.place(31)).toEqual({ start: 2, end: 6 });
    expect(redacted.place(32)).toEqual({ start: 6, end: 7 });
  });
});

describe("toReportFindings", () => {
  it("hides the other key on a shared line in each finding, at every percentage", () => {
    const github = expandTemplate("ghp_{{alnum:36}}");
    const slack = expandTemplate("xoxb-{{digits:12}}-{{alnum:24}}");
    const line = `{"github": "${github}", "slack": "${slack}"}`;
    const findings = [findingOn(line, github), findingOn(line, slack)];
    for (const percent of [50, 80, 100]) {
      const reported = toReportFindings(findings, percent, () => "");
      for (const finding of reported) {
        expect(finding.lineText, `${percent}%`).not.toContain(github);
        expect(finding.lineText, `${percent}%`).not.toContain(slack);
      }
    }
    const full = toReportFindings(findings, 0, () => "");
    expect(full.map((finding) => finding.lineText)).toEqual([line, line]);
  });

  it("hides a secret that was suppressed when it shares a line with a reported one", () => {
    const reported = expandTemplate("ghp_{{alnum:36}}");
    const suppressed = expandTemplate("ghp_{{alnum:36}}");
    const line = `${reported} ${suppressed}`;
    const [finding] = toReportFindings([findingOn(line, reported)], 80, () => "", [
      findingOn(line, suppressed),
    ]);
    expect(finding!.lineText).not.toContain(suppressed);
  });

  it("cuts a long line around the finding's own secret, not another one's", () => {
    const first = expandTemplate("ghp_{{alnum:36}}");
    const second = expandTemplate("ghp_{{alnum:36}}");
    const filler = "x".repeat(300);
    const line = `a=${first}${filler}b=${second}${filler}`;
    const [, last] = toReportFindings(
      [findingOn(line, first), findingOn(line, second)],
      100,
      () => "",
    );
    // At 100% both secrets read REDACTED: the cut follows the column, not the first REDACTED.
    expect(last!.lineText).toContain("b=REDACTED");
    expect(last!.lineText).not.toContain("a=REDACTED");
    expect(last!.lineText.startsWith("…")).toBe(true);
  });

  it("hides the encoded run a key was found in, in its own line and in any other", () => {
    const token = expandTemplate("ghp_{{alnum:36}}");
    const plain = expandTemplate("xoxb-{{digits:12}}-{{alnum:24}}");
    const run = Buffer.from(token).toString("base64");
    const line = `  token: ${run} # ${plain}`;
    const findings = [findingOn(line, token, run), findingOn(line, plain)];
    for (const percent of [80, 100]) {
      for (const finding of toReportFindings(findings, percent, () => "")) {
        expect(finding.lineText, `${percent}%`).not.toContain(run.slice(0, 16));
        expect(finding.lineText, `${percent}%`).not.toContain(plain);
      }
    }
    // Alone, as revoke and the Action may call it, the finding still hides its own run.
    expect(toReportFinding(findings[0]!, 80, "").lineText).not.toContain(run.slice(0, 16));
    // --no-redact keeps the whole run, however long the line: it is what a reader looks for.
    const long = findingOn(`${"y ".repeat(200)}${run}${" z".repeat(200)}`, token, run);
    expect(toReportFinding(long, 0, "").lineText).toContain(run);
  });

  it("leaves no secret in the line-bearing fields of SARIF, JUnit and HTML", () => {
    const { findings, secrets, input } = makeFixture();
    // Each fixture line also carries the next finding's secret.
    const shared = findings.map((finding, i) => ({
      ...finding,
      lineText: `${finding.lineText} ${secrets[(i + 1) % secrets.length]}`,
    }));
    const base = input();
    const reportInput = {
      ...base,
      findings: toReportFindings(shared, 80, () => "Rotate it."),
    };
    for (const output of [
      formatSarif(reportInput),
      formatJunit(reportInput),
      formatHtml(reportInput),
    ]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });
});

describe("readJsonReport", () => {
  it("hides every secret and encoded run of a --no-redact report in every line", () => {
    const github = expandTemplate("ghp_{{alnum:36}}");
    const slack = expandTemplate("xoxb-{{digits:12}}-{{alnum:24}}");
    const token = expandTemplate("ghp_{{alnum:36}}");
    const run = Buffer.from(token).toString("base64");
    const shared = `{"github": "${github}", "slack": "${slack}"}`;
    const encoded = `  token: ${run}`;
    const findings = [
      findingOn(shared, github),
      findingOn(shared, slack),
      findingOn(encoded, token, run),
    ].map((finding) => toReportFinding(finding, 0, ""));
    const text = JSON.stringify({ version: 1, findings });
    for (const percent of [80, 100]) {
      const read = JSON.stringify(readJsonReport(text, "full.json", percent));
      for (const secret of [github, slack, token, run.slice(0, 16)])
        expect(read, `${percent}%`).not.toContain(secret);
    }
    const kept = JSON.stringify(readJsonReport(text, "full.json", 0));
    for (const secret of [github, slack, token, run]) expect(kept).toContain(secret);
  });
});
