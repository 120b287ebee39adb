import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createConfirmPrompt } from "../../src/revoke/confirm-prompt.js";

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
