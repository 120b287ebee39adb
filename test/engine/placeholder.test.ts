import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { createDetector } from "../../src/engine/detector.js";
import { isPlaceholderSecret, KNOWN_EXAMPLE_SECRETS } from "../../src/engine/placeholder.js";

describe("isPlaceholderSecret", () => {
  it("knows the example tokens of the OAuth specifications", () => {
    for (const token of ["2YotnFZFEjr1zCsicMWpAA", "mF_9.B5f-4.1JqM", "SlAV32hkKG"]) {
      expect(isPlaceholderSecret(token), token).toBe(true);
    }
  });

  it("knows Stripe's documentation test key, which no rule reports", async () => {
    // The key lives only in the list: it is read from there, not written here again.
    const stripeKeys = [...KNOWN_EXAMPLE_SECRETS].filter((secret) => secret.startsWith("sk_test_"));
    expect(stripeKeys).toHaveLength(1);
    const detector = createDetector(await loadBuiltinRules());
    const text = `curl https://api.stripe.com/v1/charges -u ${stripeKeys[0]}:\nSTRIPE_SECRET_KEY=${stripeKeys[0]}\n`;
    expect(detector.detect({ text, path: "README.md", startLine: 1 })).toEqual([]);
  });

  it("knows the Azure Storage emulator's account key, which the account key rule skips", async () => {
    const emulatorKeys = [...KNOWN_EXAMPLE_SECRETS].filter((secret) => secret.length === 88);
    expect(emulatorKeys).toHaveLength(1);
    const detector = createDetector(await loadBuiltinRules());
    const text = `AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${emulatorKeys[0]};"\n`;
    expect(detector.detect({ text, path: "a.env", startLine: 1 })).toEqual([]);
    // Another key of the same shape is reported.
    const other = `${expandTemplate("{{b64:86}}")}==`;
    const found = detector.detect({
      text: text.replace(emulatorKeys[0]!, other),
      path: "a.env",
      startLine: 1,
    });
    expect(found.map((finding) => finding.ruleId)).toEqual(["azure-storage-account-key"]);
  });

  it("takes the hex alphabet written out for a stand-in, as it takes 1234567890", async () => {
    const detector = createDetector(await loadBuiltinRules());
    const text = [
      "api_key: 0123456789abcdef0123456789abcdef",
      'SECRET_KEY="abcdef0123456789abcdef0123456789"',
      "",
    ].join("\n");
    expect(detector.detect({ text, path: "config/settings.yaml", startLine: 1 })).toEqual([]);
    // A random hex key in the same place is reported: each digit twice, shuffled, so that its
    // entropy is a key's and not, by chance, under the rule's floor.
    const digits = [..."0123456789abcdef0123456789abcdef"];
    for (let index = digits.length - 1; index > 0; index--) {
      const other = randomInt(index + 1);
      [digits[index], digits[other]] = [digits[other]!, digits[index]!];
    }
    const key = digits.join("");
    const found = detector.detect({
      text: `api_key: ${key}\n`,
      path: "config/settings.yaml",
      startLine: 1,
    });
    expect(found.map((finding) => finding.secret)).toEqual([key]);
  });

  it("takes random tokens of the same shape for keys", () => {
    for (const template of ["{{alnum:22}}", "{{alnum:10}}"]) {
      const token = expandTemplate(template);
      expect(isPlaceholderSecret(token), token).toBe(false);
    }
  });
});
