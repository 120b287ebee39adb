import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { standIn } from "../helpers/stand-in.js";
import {
  loggedLines,
  makePullRequestRepo,
  openaiKey,
  pullRequestPayload,
  shallowPullRequestCheckout,
  standInGithub,
} from "./action-fixtures.js";
import { type ActionCopy, copyAction, runBundledAction } from "./run-bundled-action.js";

let action: ActionCopy;
beforeAll(() => {
  action = copyAction();
});
afterAll(() => action.remove());

describe("the Action with verify and revoke", () => {
  it("reports each key's verification, fails on live keys only, and shows a revocation plan without acting", async () => {
    const [liveKey, deadKey] = [openaiKey(), openaiKey()];
    const adminKey = expandTemplate("sk-admin-{{b64url:58}}T3BlbkFJ{{b64url:58}}");
    const openai = await standIn({
      routes: {
        "GET /v1/models": (request) =>
          request.headers.authorization === `Bearer ${liveKey}`
            ? { status: 200, body: { data: [] } }
            : { status: 401, body: { error: { message: "Incorrect API key provided" } } },
      },
      // Anything else (a revocation call) would be a failure of the dry run.
      fallback: { status: 500, body: { error: "unexpected call" } },
    });
    const github = await standInGithub();
    const repo = makePullRequestRepo({ "README.md": "# app\n" }, [
      {
        message: "keys",
        files: { "app.env": `LIVE=${liveKey}\nDEAD=${deadKey}\n` },
      },
    ]);
    const run = (inputs: Record<string, string>) =>
      runBundledAction({
        action,
        workspace: shallowPullRequestCheckout(repo.origin),
        eventName: "pull_request",
        payload: pullRequestPayload(repo),
        apiUrl: github.url,
        inputs,
        env: { KEYWARDEN_ENDPOINT_OPENAI: openai.url, OPENAI_ADMIN_KEY: adminKey },
      });

    const verified = await run({ verify: "true", "fail-on": "live" });
    expect(verified.exitCode).toBe(1);
    expect(verified.outputs).toMatchObject({ findings: "2", live: "1", "exit-code": "1" });
    const byLine = new Map(github.reviewComments.map((c) => [c.line, c.body]));
    expect(byLine.get(1)).toContain("Verification: live (HTTP 200)");
    expect(byLine.get(2)).toContain("Verification: invalid (HTTP 401)");
    expect(verified.summary).toMatch(
      /\| `app\.env` \| 1 \| `openai-project-key` \| openai \| live \|/,
    );
    expect(verified.summary).toMatch(
      /\| `app\.env` \| 2 \| `openai-project-key` \| openai \| invalid \|/,
    );
    // One check per key, to the provider's stand-in only.
    expect(openai.requestsTo("GET /v1/models")).toHaveLength(2);
    expect(openai.requests.every((r) => r.route === "GET /v1/models")).toBe(true);

    openai.clearLog();
    const planned = await run({ verify: "true", revoke: "true", "fail-on": "live" });
    expect(planned.exitCode).toBe(1);
    expect(planned.summary).toContain(
      "Revocation plan (dry run: set `revoke-confirm: true` to act)",
    );
    expect(planned.summary).toMatch(
      /\| `openai-project-key` \| `sk-proj-[\w-]{4}\*{5}` \| live \| planned \(admin\) \|/,
    );
    // Nothing but read-only checks reached the provider, one per key.
    expect(openai.requestsTo("GET /v1/models")).toHaveLength(2);
    expect(openai.requests.every((r) => r.method === "GET" && r.path === "/v1/models")).toBe(true);
    for (const text of [loggedLines(planned.stdout).join("\n"), planned.summary]) {
      expect(text).not.toContain(liveKey);
      expect(text).not.toContain(deadKey);
      expect(text).not.toContain(adminKey);
    }

    const noVerify = await run({ "fail-on": "live" });
    expect(noVerify.exitCode).toBe(2);
    expect(noVerify.stdout).toContain("::error::keywarden: input fail-on: live needs verify: true");
  });
});
