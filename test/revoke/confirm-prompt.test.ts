import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { createConfirmPrompt } from "../../src/revoke/confirm-prompt.js";
import { confirmQuestion } from "../../src/revoke/run-revoke-stage.js";
import { buildRevokeRule, findingFor } from "./revoke-fixtures.js";

describe("createConfirmPrompt", () => {
  it("takes only y or yes as a yes, one line per question, and no at end of input", async () => {
    const input = new PassThrough();
    const shown: string[] = [];
    const prompt = createConfirmPrompt(input, { write: (text) => shown.push(text) });
    input.write("y\nno\n YES \n\n");
    expect(await prompt.ask("first?")).toBe(true);
    expect(await prompt.ask("second?")).toBe(false);
    expect(await prompt.ask("third?")).toBe(true);
    expect(await prompt.ask("fourth?")).toBe(false);
    const fifth = prompt.ask("fifth?");
    input.end();
    expect(await fifth).toBe(false);
    prompt.close();
    expect(shown).toContain("first? [y/N] ");
    expect(shown).toContain("fifth? [y/N] ");
    expect(shown.filter((text) => text.endsWith("[y/N] "))).toHaveLength(5);
  });
});

describe("confirmQuestion", () => {
  it("redacts the key and escapes control characters in the path and the plan", () => {
    const rule = buildRevokeRule({ id: "layer-api-key" });
    const secret = `layer_${expandTemplate("{{hex:64}}")}`;
    const finding = findingFor(rule, secret, { path: "x\u001b[2K\rRevoke nothing.env" });
    const question = confirmQuestion(
      {
        fingerprint: finding.fingerprint,
        rule,
        findings: [finding],
        secret,
        metadata: {},
      },
      "DELETE /v1/keys/key_1\u0007",
    );
    expect(question).not.toContain(secret);
    const controls = [...question].filter((c) => c.charCodeAt(0) < 0x20 || c === "\u007f");
    expect(controls).toEqual([]);
    expect(question).toContain("x\\x1b[2K\\rRevoke nothing.env:3");
  });
});
