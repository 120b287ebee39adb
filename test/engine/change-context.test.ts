import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { changeContext } from "../../src/engine/change-context.js";
import { createDetector } from "../../src/engine/detector.js";
import { linesAround } from "../../src/sources/staged-diff.js";
import type { Finding } from "../../src/types.js";
import {
  allExamples,
  encodedPieces,
  seededParts,
  seededRandom,
} from "../helpers/seeded-documents.js";

function describeFinding(finding: Finding): string {
  return `${finding.ruleId} ${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn} ${finding.secret}${finding.encoding ? " base64" : ""}${finding.companion ? ` with ${finding.companion.line}` : ""}`;
}

/** Line numbers 1..count that `isAdded` keeps. */
function lineSet(count: number, isAdded: (line: number) => boolean): number[] {
  return Array.from({ length: count }, (_, i) => i + 1).filter(isAdded);
}

describe("reading a changed file around its added lines", () => {
  it("finds on the added lines what a scan of the whole file finds there", async () => {
    const rules = await loadBuiltinRules();
    const detector = createDetector(rules);
    const contextAround = changeContext(rules);
    const random = seededRandom(20261124);
    const examples = allExamples(rules);
    const { encodedExamples, wrappedExamples } = encodedPieces(examples);
    const pieces = [...examples, ...encodedExamples, ...wrappedExamples];
    // A keyword of a rule that can reach anywhere (a private key's, `pwd`) makes the whole text
    // read, and so do those of rules that reach hundreds of lines whatever their length (a
    // Kubernetes Secret's `data:`, `curl`): most documents go without them, to be read in part.
    const farReaching = new RegExp(
      rules
        .filter((rule) => !rule.reach || rule.reach.chars === Number.POSITIVE_INFINITY)
        .filter((rule) => !rule.reach || rule.reach.lines > 32)
        .flatMap((rule) => rule.keywords)
        .map((keyword) => keyword.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "gi",
    );
    const boundedPieces = [...examples, ...wrappedExamples];
    let compared = 0;
    let partial = 0;
    for (let document = 0; document < 100; document++) {
      const path = document % 2 === 0 ? "src/config.ts" : "deploy/main.tf";
      const isWhole = document % 4 === 0;
      // Read whole, a document is long enough to be searched only around its added lines.
      const parts = seededParts(
        random,
        isWhole ? pieces : boundedPieces,
        isWhole ? 2000 : 600,
      ).join("");
      const text = isWhole
        ? parts
        : parts.replace(farReaching, (found) => "x".repeat(found.length));
      const lineCount = text.split("\n").length;
      // One to four runs of added lines, one to four lines each.
      const added = new Set<number>();
      for (let run = 1 + Math.floor(random() * 4); run > 0; run--) {
        const first = 1 + Math.floor(random() * lineCount);
        const length = 1 + Math.floor(random() * 4);
        for (let line = first; line < first + length && line <= lineCount; line++) added.add(line);
      }
      const lineNumbers = [...added].sort((a, b) => a - b);
      // What a scan of the whole file finds on the added lines.
      const touchesAdded = (finding: Finding) =>
        lineSet(lineCount, (line) => line >= finding.line && line <= finding.endLine).some((line) =>
          added.has(line),
        );
      const expected = detector
        .detect({ path, text, startLine: 1 })
        .filter(touchesAdded)
        .map(describeFinding)
        .sort();
      const read = { path, ...linesAround({ lineNumbers }, text, contextAround) };
      const isPartial = read.text.length < text.length;
      if (isPartial) partial++;
      expect(read.text.length).toBeGreaterThan(0);
      expect(detector.detect(read).map(describeFinding).sort(), `document ${document}`).toEqual(
        expected,
      );
      if (isPartial) compared += expected.length;
    }
    // Many documents are read in part, and their comparisons are not of empty lists.
    expect(partial).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(20);
  });

  it("reads a long file whole for a keyword of a rule without bound, and finds the same", async () => {
    const rules = await loadBuiltinRules();
    const detector = createDetector(rules);
    const contextAround = changeContext(rules);
    const random = seededRandom(7);
    const examples = allExamples(rules);
    let compared = 0;
    for (let document = 0; document < 3; document++) {
      // Far more lines than any rule reaches: mostly filler, a key every few dozen lines, and a
      // `pwd` (connection-string passwords: no bound) at the top.
      const lines = ["cd $(pwd)"];
      while (lines.length < 50_000) {
        const piece = seededParts(random, random() < 0.05 ? examples : [""], 1)[0]!;
        lines.push(...piece.split("\n"));
      }
      // Five lines added in ten places (lines[i] is line i + 1), among them a key whose
      // provider is named on a line the change leaves alone.
      const added = new Set<number>();
      for (let run = 0; run < 10; run++) {
        const at = 10 + Math.floor(random() * (lines.length - 20));
        for (let line = at + 1; line <= at + 5; line++) added.add(line);
        const key = () =>
          `    "sk-${Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("")}",`;
        // Named some 200 characters up, past the keys already there.
        lines[at - 6] = "# Round-robin pool of DeepSeek keys";
        lines[at - 5] = "POOL = [";
        for (let line = at - 4; line < at; line++) lines[line] = key();
        lines[at] = key();
      }
      const text = lines.join("\n");
      const lineNumbers = [...added].sort((a, b) => a - b);
      const expected = detector
        .detect({ path: "big.txt", text, startLine: 1 })
        .filter((finding) =>
          lineNumbers.some((line) => line >= finding.line && line <= finding.endLine),
        )
        .map(describeFinding)
        .sort();
      const read = { path: "big.txt", ...linesAround({ lineNumbers }, text, contextAround) };
      expect(read.text).toBe(text);
      expect(detector.detect(read).map(describeFinding).sort()).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThanOrEqual(30);
  });

  it("reads as far as a rule that reaches far, where one of its keywords is", async () => {
    const rules = await loadBuiltinRules();
    const detector = createDetector(rules);
    const contextAround = changeContext(rules);
    // More lines each side than any rule reads.
    const filler = Array.from({ length: 9000 }, (_, i) => `const value${i} = compute(input);`);
    // Random lines that spell no rule's keyword: one spelt by chance ("pwd", "key") would pull
    // its own rule's read up past the header.
    const keywords = rules.flatMap((rule) => rule.keywords);
    const base64Line = (): string => {
      const line = randomBytes(48).toString("base64");
      const lower = line.toLowerCase();
      return keywords.some((keyword) => lower.includes(keyword)) ? base64Line() : line;
    };
    const base64Lines = (count: number) => Array.from({ length: count }, base64Line);
    // A PuTTY key file: its rule reads from the header down to the MAC, thousands of lines at
    // most; other rules read a few lines, and the base64 block above the change starts below
    // the header.
    const key = [
      "PuTTY-User-Key-File-3: ssh-rsa",
      "Encryption: none",
      "Comment: deploy@build",
      "Public-Lines: 6",
      ...base64Lines(6),
      "Private-Lines: 14",
      ...base64Lines(14),
      `Private-MAC: ${randomBytes(32).toString("hex")}`,
    ];
    const lines = [...filler, ...key, ...filler];
    const text = lines.join("\n");
    const changed = filler.length + 4 + 6 + 1 + 10; // a line of the private part
    const expected = detector
      .detect({ path: "deploy.ppk", text, startLine: 1 })
      .map((f) => [f.ruleId, f.line]);
    expect(expected).toEqual([["putty-private-key", filler.length + 1]]);
    const read = linesAround({ lineNumbers: [changed] }, text, contextAround);
    expect(read.text.length).toBeLessThan(text.length);
    const found = detector.detect({ path: "deploy.ppk", ...read });
    expect(found.map((f) => [f.ruleId, f.line])).toEqual(expected);
    // Without the header's keyword, nothing pulls the read up there.
    const unnamed = text.replace("PuTTY-User-Key-File-3", "Unnamed-File-3");
    const short = linesAround({ lineNumbers: [changed] }, unnamed, contextAround);
    expect(short.startLine).toBeGreaterThan(filler.length + 1);
  });
});
