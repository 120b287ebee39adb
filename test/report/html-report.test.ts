import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expandExample } from "../../src/config/example-template.js";
import { GIT_ENV, makeTempDir, makeTempRepo } from "../helpers/git-repo.js";
import { REPO_ROOT, runCli } from "../helpers/run-cli.js";

/**
 * The HTML report as a person sees it: Debian's Chromium, headless, opens the page from disk.
 * It must render the table and the charts, filter, log no console error and make no request
 * beyond the file itself. A screenshot is left in test-artifacts/ (not committed).
 */

const CHROMIUM = process.env.KEYWARDEN_TEST_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = join(REPO_ROOT, "test-artifacts");
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `html-report.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set KEYWARDEN_TEST_CHROMIUM)`,
  );
}

const KEYS = [
  { file: "a.env", template: "GITHUB_TOKEN=[[ghp_{{alnum:36}}]]", date: "2023-02-10T10:00:00Z" },
  {
    file: "b.env",
    template: "SLACK_BOT_TOKEN=[[xoxb-{{digits:12}}-{{digits:13}}-{{alnum:24}}]]",
    date: "2023-06-15T10:00:00Z",
  },
  {
    file: "c.py",
    template: 'key = "[[LLM|{{digits:15}}|{{b64url:27}}]]"',
    date: "2024-01-20T10:00:00Z",
  },
  { file: "d.env", template: "GH=[[ghp_{{alnum:36}}]]", date: "2024-01-25T10:00:00Z" },
];

interface Report {
  findings: { provider: string; verification?: unknown }[];
}

describe.skipIf(!hasChromium)("HTML report in headless Chromium", () => {
  it("renders the table and charts, filters, logs no error and fetches nothing", async () => {
    const repo = makeTempRepo();
    for (const key of KEYS) {
      repo.write({ [key.file]: `# ${key.file}\n${expandExample(key.template).text}\n` });
      repo.git("add", key.file);
      execFileSync("git", ["commit", "-q", "-m", `add ${key.file}`], {
        cwd: repo.dir,
        env: {
          ...process.env,
          ...GIT_ENV,
          GIT_AUTHOR_DATE: key.date,
          GIT_COMMITTER_DATE: key.date,
        },
      });
    }
    const scanned = await runCli(["history", "--format", "json", "-o", "report.json"], {
      cwd: repo.dir,
    });
    expect(scanned.exitCode, scanned.stderr).toBe(1);

    // Verification results as `--verify` would record them, for the status chart.
    const report = JSON.parse(readFileSync(join(repo.dir, "report.json"), "utf8")) as Report;
    expect(report.findings).toHaveLength(KEYS.length);
    const checkedAt = "2024-06-01T00:00:00Z";
    report.findings[0]!.verification = {
      status: "live",
      httpStatus: 200,
      checkedAt,
      detail: "200",
    };
    report.findings[1]!.verification = {
      status: "invalid",
      httpStatus: 401,
      checkedAt,
      detail: "401",
    };
    writeFileSync(join(repo.dir, "report.json"), JSON.stringify(report));
    const rendered = await runCli(
      ["report", "report.json", "--format", "html", "-o", "report.html"],
      { cwd: repo.dir },
    );
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    const pageUrl = pathToFileURL(join(repo.dir, "report.html")).href;

    const profile = makeTempDir("keywarden-chromium-");
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 1000 },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const problems: string[] = [];
      const requests: string[] = [];
      context.on("request", (request) => requests.push(request.url()));
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning")
          problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
      await page.goto(pageUrl, { waitUntil: "load" });

      const rows = page.locator("#findings tbody tr");
      expect(await rows.count()).toBe(KEYS.length);
      expect(await page.locator("#charts svg").count()).toBe(3);
      const providers = new Set(report.findings.map((f) => f.provider));
      expect(await page.locator("#charts figure").nth(0).locator("rect").count()).toBe(
        providers.size,
      );
      expect(await page.locator("#charts figure").nth(1).locator("rect").count()).toBe(3);
      await expect(
        page.locator("#charts figure").nth(2).locator("figcaption").textContent(),
      ).resolves.toContain("introduced over time");
      // 2023-02 .. 2024-01 by month: 12 columns, 4 leaks in 3 of them.
      const timelineBars = page.locator("#charts figure").nth(2).locator("rect");
      expect(await timelineBars.count()).toBe(12);
      const drawn = await timelineBars.evaluateAll(
        (rects) => rects.filter((r) => Number(r.getAttribute("height")) > 0).length,
      );
      expect(drawn).toBe(3);

      // Filters: by provider from the select, by status from a chart bar, then reset.
      await page.selectOption("#filter-provider", "github");
      expect(await page.locator("#findings tbody tr:not([hidden])").count()).toBe(2);
      await page.click("#filter-reset");
      await page.locator('.filter-link[data-filter-value="live"]').click();
      expect(await page.locator("#findings tbody tr:not([hidden])").count()).toBe(1);
      expect(await page.locator("#shown-count").textContent()).toBe("1");
      await page.fill("#filter-text", "no such thing");
      expect(await page.locator("#no-match").isVisible()).toBe(true);
      await page.click("#filter-reset");
      expect(await page.locator("#findings tbody tr:not([hidden])").count()).toBe(KEYS.length);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "html-report.png"), fullPage: true });

      expect(problems).toEqual([]);
      expect(requests).toEqual([pageUrl]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
