import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JSON_SCHEMAS } from "../../src/config/json-schema.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

describe("editor JSON Schemas", () => {
  it.each(Object.keys(JSON_SCHEMAS))("%s is what the zod schema makes (npm run schema)", (path) => {
    const render = JSON_SCHEMAS[path as keyof typeof JSON_SCHEMAS];
    expect(readFileSync(join(REPO_ROOT, path), "utf8")).toBe(render());
  });

  it("describes the rule fields the loader validates", () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, "schema/rules.schema.json"), "utf8"));
    const rule = schema.properties.rules.items;
    expect(rule.required).toEqual(
      expect.arrayContaining(["id", "pattern", "keywords", "examples"]),
    );
    expect(Object.keys(rule.properties)).toEqual(
      expect.arrayContaining(["verify", "revoke", "allow", "requires", "entropy", "paths"]),
    );
  });
});
