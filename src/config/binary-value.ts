import type { FieldPath } from "./field-text.js";

/**
 * Where a YAML `!!binary` value (read as bytes) lies in a parsed document, if anywhere. No field
 * of a config or rule file takes bytes, and a schema would describe such a value by the methods
 * of its byte array rather than by what it is.
 */
export function findBinaryValue(value: unknown, path: FieldPath = []): FieldPath | undefined {
  if (value instanceof Uint8Array) return path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findBinaryValue(item, [...path, index]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = findBinaryValue(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
