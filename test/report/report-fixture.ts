import { expandTemplate } from "../../src/config/example-template.js";
import type { ReportInput } from "../../src/report/format.js";
import { toReportFinding } from "../../src/report/redact.js";
import type { Finding, ReportFinding } from "../../src/types.js";

/**
 * Findings that exercise every reporter's escaping: odd paths, markup and separators in the
 * line, git provenance, verification and revocation. Secrets are random on each run.
 */

export interface Fixture {
  readonly findings: Finding[];
  readonly secrets: string[];
  readonly input: (redactPercent?: number) => ReportInput;
}

function base(secret: string, overrides: Partial<Finding>): Finding {
  return {
    ruleId: "github-pat",
    title: "GitHub personal access token",
    provider: "github",
    severity: "critical",
    tags: ["vcs"],
    path: "app.env",
    line: 1,
    column: 7,
    endLine: 1,
    endColumn: 7 + secret.length,
    secret,
    match: secret,
    lineText: `TOKEN=${secret}`,
    metadata: {},
    entropy: 4.7,
    fingerprint: expandTemplate("{{hex:32}}"),
    ...overrides,
  };
}

export function makeFixture(): Fixture {
  const github = expandTemplate("ghp_{{alnum:36}}");
  const openai = expandTemplate("sk-proj-{{b64url:40}}");
  const slack = expandTemplate("xoxb-{{digits:11}}-{{digits:12}}-{{alnum:24}}");
  const aws = expandTemplate("AKIA{{upalnum:16}}");
  const commit = expandTemplate("{{hex:40}}");
  const findings: Finding[] = [
    base(github, {}),
    base(openai, {
      ruleId: "openai-project-key",
      title: "OpenAI project key",
      provider: "openai",
      path: "dir with space/ä|b,c:d.py",
      line: 12,
      column: 5,
      endLine: 12,
      endColumn: 5 + openai.length,
      lineText: `<script>alert("x")</script> | key = "${openai}", # =cmd`,
      git: { commit, author: 'Eve "<e>"', email: "eve@example.test", date: "2024-03-04T05:06:07Z" },
      occurrences: [
        { path: "dir with space/ä|b,c:d.py", line: 12, commit, date: "2024-03-04T05:06:07Z" },
        { path: "old.py", line: 3, commit, date: "2024-05-04T05:06:07Z" },
      ],
      verification: {
        status: "live",
        httpStatus: 200,
        checkedAt: "2024-06-01T00:00:00Z",
        detail: "200 from /v1/models",
      },
      revocation: {
        status: "manual",
        mechanism: "manual",
        detail: "revoke by hand",
        url: "https://example.test/keys",
      },
    }),
    base(slack, {
      ruleId: "slack-bot-token",
      title: "Slack bot token",
      provider: "slack",
      severity: "high",
      path: "ci/deploy.yml",
      line: 40,
      column: 14,
      endColumn: 14 + slack.length,
      lineText: `  token: '${slack}'\r`,
      verification: {
        status: "invalid",
        httpStatus: 401,
        checkedAt: "2024-06-01T00:00:00Z",
        detail: "401 %0A::error",
      },
    }),
    base(aws, {
      ruleId: "aws-access-key-id",
      title: "AWS access key id",
      provider: "aws",
      severity: "medium",
      path: "infra/main.tf",
      line: 3,
      column: 20,
      endLine: 4,
      endColumn: 2,
      lineText: `access_key = "${aws}" \`code\` *bold* [link](x)`,
      encoding: "base64",
    }),
  ];
  return {
    findings,
    secrets: [github, openai, slack, aws],
    input: (redactPercent = 80): ReportInput => ({
      findings: findings.map(
        (finding): ReportFinding =>
          toReportFinding(
            finding,
            redactPercent,
            `Rotate the ${finding.provider} key & load it from the environment.`,
          ),
      ),
      summary: {
        source: "history",
        scannedFragments: 10,
        scannedBytes: 4096,
        skipped: [],
        durationMs: 12,
      },
      tool: {
        name: "keywarden",
        version: "1.2.3",
        informationUri: "https://example.test/keywarden",
      },
      color: false,
    }),
  };
}
