import { describe, expect, it } from "vitest";
import { expandTemplate } from "../../src/config/example-template.js";
import type { Finding } from "../../src/types.js";
import { awsKeyHalf } from "../../src/verify/custom/aws-sts.js";
import { MAX_PARTNERS, partnersOf } from "../../src/verify/pair-halves.js";
import { buildFinding } from "./build-finding.js";

// Which other halves a two-part key is tried with, in order.

const newId = () => expandTemplate("AKIA{{chars:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:16}}");
const newSecret = () => expandTemplate("{{b64:40}}");

/** Findings for `layout` ("I" an id, "S" a secret, "." a line without a key), by line. */
function findingsOf(layout: string, path = "keys.env"): Finding[] {
  return [...layout].flatMap((kind, index) =>
    kind === "."
      ? []
      : [
          buildFinding({
            ruleId: kind === "I" ? "id" : "secret",
            secret: kind === "I" ? newId() : newSecret(),
            line: index + 1,
            path,
          }),
        ],
  );
}

/** Each finding's partners as line numbers, `line:partners`. */
function partnerLines(findings: readonly Finding[]): string[] {
  const partners = partnersOf(findings, () => ({ name: "aws-sts", half: awsKeyHalf }));
  return findings.map((f) => `${f.line}:${(partners.get(f) ?? []).map((c) => c.line).join(",")}`);
}

describe("partnersOf", () => {
  it("pairs neighbours in order, whichever half comes first", () => {
    expect(partnerLines(findingsOf("ISIS"))).toEqual(["1:2,4", "2:1,3", "3:4,2", "4:3,1"]);
    expect(partnerLines(findingsOf("SISI"))).toEqual(["1:2,4", "2:1,3", "3:4,2", "4:3,1"]);
  });

  it("tries the other halves in reach after the first, nearest first, a few at most", () => {
    expect(partnerLines(findingsOf("IISS"))).toEqual(["1:4,3", "2:3,4", "3:2,1", "4:1,2"]);
    const crowded = partnerLines(findingsOf("IIIISSSS"));
    expect(crowded.every((entry) => entry.split(":")[1]!.split(",").length <= MAX_PARTNERS)).toBe(
      true,
    );
    expect(crowded[3]).toBe("4:5,6,7");
  });

  it("pairs nothing further than five lines away, or in another file", () => {
    expect(partnerLines(findingsOf("I.....S"))).toEqual(["1:", "7:"]);
    const [id] = findingsOf("I", "a.env");
    const [secret] = findingsOf(".S", "b.env");
    expect(partnerLines([id!, secret!])).toEqual(["1:", "2:"]);
  });
});
