import { describe, expect, it } from "vitest";
import type { ScanRecord } from "../../src/engine/detector.js";
import { RevisionCache } from "../../src/pipeline/revision-cache.js";

const record = (text: string): ScanRecord => ({
  text,
  path: "a.txt",
  candidates: [],
  matches: new Map(),
  spans: [],
});

describe("RevisionCache", () => {
  it("holds texts within its budget, least recently used out first", () => {
    const cache = new RevisionCache(10);
    cache.set("a", record("aaaa"));
    cache.set("b", record("bbbb"));
    expect(cache.get("a")?.text).toBe("aaaa"); // a is now the most recent
    cache.set("c", record("cccc"));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.text).toBe("aaaa");
    expect(cache.get("c")?.text).toBe("cccc");
  });

  it("gives the room of a deleted record to the next ones", () => {
    const cache = new RevisionCache(10);
    cache.set("a", record("aaaa"));
    cache.set("b", record("bbbb"));
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    cache.set("c", record("cccc"));
    // Without the room a's deletion freed, b would have been evicted for c.
    expect(cache.get("b")?.text).toBe("bbbb");
    expect(cache.get("c")?.text).toBe("cccc");
  });
});
