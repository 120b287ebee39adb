import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ErrorObject, ValidateFunction } from "ajv-draft-04";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";

// Both packages are CommonJS whose module.exports also carries itself as `default`: the form
// that type-checks under NodeNext and runs the same.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

let validator: ValidateFunction | undefined;

/**
 * Checks a SARIF log against the official SARIF 2.1.0 JSON schema (draft-04, validated as
 * written, formats included). Returns undefined when it is valid, else every error.
 */
export function sarifSchemaErrors(sarif: unknown): ErrorObject[] | undefined {
  if (!validator) {
    const schema = JSON.parse(
      readFileSync(
        fileURLToPath(new URL("../fixtures/schemas/sarif-2.1.0.json", import.meta.url)),
        "utf8",
      ),
    ) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator(sarif) ? undefined : (validator.errors ?? []);
}
