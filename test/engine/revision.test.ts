import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/config/compile-rules.js";
import { expandTemplate } from "../../src/config/example-template.js";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { ruleScope } from "../../src/config/pattern-scope.js";
import { createDetector, type ScanRecord } from "../../src/engine/detector.js";
import { changedZone } from "../../src/engine/revision.js";
import { lineEdits, revisionSteps } from "../../src/engine/revision-steps.js";
import type { Finding } from "../../src/types.js";
import {
  allExamples,
  encodedPieces,
  seededParts,
  seededRandom,
} from "../helpers/seeded-documents.js";

describe("changedZone", () => {
  it("spans the whole lines between the common beginning and end", () => {
    const old = "one\ntwo\nthree\nfour\n";
    expect(changedZone(old, "one\ntwo\nTHREE\nfour\n")).toEqual({
      start: 8,
      end: 13,
      oldEnd: 13,
      shift: 0,
    });
    // Two lines inserted: what follows moves by their length.
    const inserted = changedZone(old, "one\ntwo\nnew\nlines\nthree\nfour\n");
    expect(inserted.shift).toBe(10);
    expect(inserted.start).toBe(8);
    expect(inserted.oldEnd + inserted.shift).toBe(inserted.end);
    // A deletion at the very start, and an append at the very end.
    expect(changedZone(old, "two\nthree\nfour\n").start).toBe(0);
    const appended = changedZone(old, `${old}five`);
    expect([appended.start, appended.end]).toEqual([old.length, old.length + 4]);
  });

  it("finds edges past the first block of 1,024 characters", () => {
    const long = "x".repeat(3000);
    const zone = changedZone(`${long}\nold\n${long}`, `${long}\nnew line\n${long}`);
    expect(zone).toEqual({ start: 3001, end: 3009, oldEnd: 3004, shift: 5 });
  });
});

describe("revisionSteps", () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${i} of the file`);
  const old = `${lines.join("\n")}\n`;
  const edited = (edits: Record<number, string | null>) =>
    `${lines
      .flatMap((line, i) => (i in edits ? (edits[i] === null ? [] : [edits[i]!]) : [line]))
      .join("\n")}\n`;

  it("makes one edit more per step, each step sharing all but that edit with the one before", () => {
    const text = edited({ 5: "changed five", 50: "changed fifty\nand a line more", 90: null });
    const zone = changedZone(old, text);
    const steps = revisionSteps(old, text, zone, 0.5);
    expect(steps?.map((step) => step.text)).toEqual([
      `${edited({ 5: "changed five" })}`,
      `${edited({ 5: "changed five", 50: "changed fifty\nand a line more" })}`,
      text,
    ]);
    let before = old;
    for (const step of steps!) {
      const known = changedZone(before, step.text, step.known);
      expect(known).toEqual(changedZone(before, step.text));
      // Each step changes one short stretch.
      expect(known.end - known.start).toBeLessThan(60);
      before = step.text;
    }
  });

  it("leaves one edit, edits a few lines apart, and edits of most of the text to other ways", () => {
    const one = edited({ 40: "one edit" });
    expect(revisionSteps(old, one, changedZone(old, one), 0.5)).toBeUndefined();
    // Joined: fewer unchanged lines between them than a step is worth.
    const near = edited({ 40: "near", 45: "edits" });
    expect(revisionSteps(old, near, changedZone(old, near), 0.5)).toBeUndefined();
    const most = edited(
      Object.fromEntries(lines.map((_, i) => [i, i % 20 < 12 ? `new ${i}` : lines[i]!])),
    );
    expect(revisionSteps(old, most, changedZone(old, most), 0.5)).toBeUndefined();
  });
});

describe("revisionSteps on long stretches", () => {
  const file = (count: number) => Array.from({ length: count }, (_, i) => `line ${i}`);
  const twoEdits = (lines: string[]) => {
    const old = `${lines.join("\n")}\n`;
    const edited = lines.slice();
    edited[0] = "first";
    edited[lines.length - 1] = "last";
    const text = `${edited.join("\n")}\n`;
    return revisionSteps(old, text, changedZone(old, text), text.length / 2);
  };

  it("diffs a stretch of up to 20,000 lines, old and new together, and no longer one", () => {
    expect(twoEdits(file(10_000))).toHaveLength(2);
    expect(twoEdits(file(10_001))).toBeUndefined();
  });
});

describe("lineEdits", () => {
  const lines = (count: number, label: string) =>
    Array.from({ length: count }, (_, i) => `${label} ${i} ${(i * 7919) % 10007}`);

  it("finds a few edits far apart in a long stretch", () => {
    const old = lines(30_000, "line");
    const text = old.slice();
    text[1_000] = "changed";
    text[15_000] = "changed";
    text[29_000] = "changed";
    const edits = lineEdits(old, text, 0);
    expect(edits).toHaveLength(3);
    const startOf = (line: number) => text.slice(0, line).join("\n").length + 1;
    expect(edits?.map((edit) => edit.newStart)).toEqual([1_000, 15_000, 29_000].map(startOf));
  });

  it("gives up on a rewrite, whose diff would cost far more than a scan", () => {
    // Every line differs: a diff compares about lines times lines, here 16 million pairs.
    expect(lineEdits(lines(4_000, "old"), lines(4_000, "new"), 0)).toBeUndefined();
  });
});

/** What an edit types into a line: line breaks, blanks, quotes and assignment signs. */
const TYPED = ["\n", " ", "\t", '"', "'", "=", ":", "x", "\n\n", ""];

function describeFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn} ${finding.secret}${finding.encoding ? " base64" : ""}`;
}

describe("scanning a revision by its change", () => {
  it("finds exactly what a scan of the whole new text finds, over chains of edits", async () => {
    const rules = await loadBuiltinRules();
    const detector = createDetector(rules);
    const random = seededRandom(20261123);
    const examples = allExamples(rules);
    const { encodedExamples, wrappedExamples } = encodedPieces(examples);
    const pieces = [...examples, ...encodedExamples, ...wrappedExamples];
    let compared = 0;
    let revisions = 0;
    for (let chain = 0; chain < 12; chain++) {
      const path = chain % 2 === 0 ? "src/config.ts" : "deploy/main.tf";
      let parts = seededParts(random, pieces, 80);
      let record: ScanRecord | undefined;
      for (let step = 0; step < 12; step++) {
        const text = parts.join("");
        const fragment = { path, text, startLine: 1 };
        const expected = detector.detect(fragment).map(describeFinding);
        const scanned = detector.detectRevision(fragment, record);
        expect(scanned.findings.map(describeFinding)).toEqual(expected);
        compared += expected.length;
        if (record) revisions++;
        record = scanned.record;
        // The next revision: pieces replaced, inserted or deleted, or a few characters typed or
        // erased, in one to four places; typing near a match changes what its look-arounds read.
        parts = [...parts];
        const edits = 1 + Math.floor(random() * 4);
        for (let edit = 0; edit < edits; edit++) {
          const at = Math.floor(random() * parts.length);
          const fresh = seededParts(random, pieces, 1 + Math.floor(random() * 3));
          const kind = random();
          if (kind < 0.3) parts.splice(at, 2, ...fresh);
          else if (kind < 0.5) parts.splice(at, 0, ...fresh);
          else if (kind < 0.6) parts.splice(at, 1 + Math.floor(random() * 3));
          else {
            const piece = parts[at]!;
            const offset = Math.floor(random() * (piece.length + 1));
            const typed = TYPED[Math.floor(random() * TYPED.length)]!;
            const erased = random() < 0.5 ? 0 : 1 + Math.floor(random() * 3);
            parts[at] = piece.slice(0, offset) + typed + piece.slice(offset + erased);
          }
        }
      }
    }
    expect(revisions).toBe(12 * 11);
    expect(compared).toBeGreaterThan(1000);
  });

  /** A one-rule detector whose pattern reads one line beyond its match. */
  const lineReadingDetector = (pattern: string) => {
    const [rule] = compileRules(
      [
        {
          raw: {
            id: "line-reading",
            title: "line-reading",
            provider: "test",
            severity: "high",
            tags: [],
            report: true,
            placeholderCheck: false,
            remediation: "rotate it",
            examples: { match: [], nomatch: [] },
            pattern,
            keywords: ["token"],
          },
          source: { file: "test.yaml", builtin: true },
        },
      ],
      new Set(),
      { scopeOf: ruleScope },
    );
    expect(rule!.reach?.lines).toBe(1);
    const detector = createDetector([rule!]);
    return (text: string, base?: ScanRecord) =>
      detector.detectRevision({ path: "a.txt", text, startLine: 1 }, base);
  };

  it.each([
    // A match ends a line; its look-ahead reads the next line, which the edit changes.
    [
      "look-ahead",
      "token:[ \\t]{0,3}(?<secret>[a-z0-9]{16})(?=\\n[ \\t]{0,4}end\\b)",
      (value: string, word: string) => `token: ${value}\n${word}\n`,
      ["end", "more"],
      51,
    ],
    // A match starts a line; its look-behind reads the line before, which the edit changes.
    [
      "look-behind",
      "(?<=\\bbegin\\n[ \\t]{0,4})token:[ \\t]{0,3}(?<secret>[a-z0-9]{16})",
      (value: string, word: string) => `${word}\ntoken: ${value}\n`,
      ["begin", "other"],
      52,
    ],
  ] as const)(
    "drops and adds matches whose %s reads the changed line",
    (_label, pattern, middle, [reads, other], line) => {
      const scan = lineReadingDetector(pattern);
      const value = expandTemplate("{{hex:16}}");
      const filler = "line of text\n".repeat(50);
      const matching = `${filler}${middle(value, reads)}${filler}`;
      const changed = `${filler}${middle(value, other)}${filler}`;
      const first = scan(matching);
      expect(first.findings.map((finding) => finding.line)).toEqual([line]);
      const reopened = scan(changed, first.record);
      expect(reopened.findings).toEqual([]);
      expect(scan(matching, reopened.record).findings.map((finding) => finding.line)).toEqual([
        line,
      ]);
    },
  );

  it("reads a block of wrapped base64 again whole when one of its lines changes", async () => {
    const detector = createDetector(await loadBuiltinRules());
    const digits = expandTemplate("{{digits:16}}");
    const wrappedEnv = (key: string) =>
      (
        Buffer.from(`# ${"settings for the deploy job ".repeat(4)}\nLLAMA_API_KEY=${key}\n`)
          .toString("base64")
          .match(/.{1,76}/g) ?? []
      ).join("\n");
    const filler = "line of text\n".repeat(30);
    let record: ScanRecord | undefined;
    for (const body of [expandTemplate("{{b64url:27}}"), expandTemplate("{{b64url:27}}")]) {
      const text = `${filler}${wrappedEnv(`LLM|${digits}|${body}`)}\n${filler}`;
      const fragment = { path: "env.b64", text, startLine: 1 };
      const expected = detector.detect(fragment).map(describeFinding);
      expect(expected).toEqual([expect.stringContaining(`|${body} base64`)]);
      const scanned = detector.detectRevision(fragment, record);
      expect(scanned.findings.map(describeFinding)).toEqual(expected);
      record = scanned.record;
    }
  });

  it("scans a text whose base was at another path as a new text", async () => {
    const rules = await loadBuiltinRules();
    const detector = createDetector(rules);
    const examples = allExamples(rules);
    const text = seededParts(seededRandom(7), examples, 40).join("");
    const base = detector.detectRevision({ path: "a.ts", text, startLine: 1 }).record;
    const edited = `${text}\n${text.slice(0, 200)}`;
    const fragment = { path: "deploy/main.tf", text: edited, startLine: 1 };
    expect(detector.detectRevision(fragment, base).findings.map(describeFinding)).toEqual(
      detector.detect(fragment).map(describeFinding),
    );
  });
});
