import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import { type AuditEntry, openAuditLog } from "../../src/revoke/audit-log.js";
import { tempDir } from "./revoke-fixtures.js";

function entry(fields: Partial<AuditEntry>): AuditEntry {
  return {
    time: "2026-01-01T00:00:00.000Z",
    run: "r",
    mode: "executed",
    step: "outcome",
    rule: "acme",
    provider: "acme",
    fingerprint: "f1",
    secret: "acme_***",
    mechanism: "self",
    outcome: "revoked",
    ...fields,
  };
}

describe("openAuditLog", () => {
  it("appends entries (creating the folder) and scrubs the secrets it is told about from every field", () => {
    const secret = `acme_${expandTemplate("{{alnum:30}}")}`;
    const path = join(tempDir(), "nested", "revocations.jsonl");
    const log = openAuditLog(path);
    log.append(
      entry({
        step: "response",
        outcome: "answered",
        detail: `provider echoed ${secret}`,
        url: `https://x/${secret}`,
      }),
      [secret],
    );
    log.close();
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(secret);
    expect(text).toContain("[secret]");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("remembers confirmed revocations and destructive requests of executed runs only", () => {
    const path = join(tempDir(), "revocations.jsonl");
    writeFileSync(
      path,
      [
        entry({ fingerprint: "done" }),
        entry({ fingerprint: "dry", mode: "dry-run" }),
        entry({ fingerprint: "sent", step: "request", destructive: true, outcome: "sending" }),
        entry({ fingerprint: "looked", step: "request", destructive: false, outcome: "sending" }),
      ]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const log = openAuditLog(path);
    expect(log.history("done").revokedAt).toBe("2026-01-01T00:00:00.000Z");
    expect(log.history("dry")).toEqual({});
    expect(log.history("sent").destructiveSentAt).toBeDefined();
    expect(log.history("looked")).toEqual({});
    log.append(entry({ fingerprint: "new" }), []);
    log.close();
    // The file had no final newline: the new entry still starts on its own line.
    expect(
      readFileSync(path, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line).fingerprint),
    ).toEqual(["done", "dry", "sent", "looked", "new"]);
  });

  it("fails with one clear error when the log cannot be written", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "");
    expect(() => openAuditLog(join(dir, "file", "revocations.jsonl"))).toThrow(
      /--audit-log .*cannot/,
    );
  });
});
