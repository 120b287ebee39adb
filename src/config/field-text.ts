/** A field inside a rule or config entry: `["allow", "secrets", 0]`. */
export type FieldPath = readonly (string | number)[];

/**
 * `allow.secrets[0]`, as a user would write the field's place. Every message about a field
 * writes it this one way, whether the schema or the compiler found the problem.
 */
export function fieldText(path: FieldPath): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : index > 0 ? `.${part}` : part))
    .join("");
}

/** A schema issue's path as a field path (zod allows symbol keys, which no YAML key is). */
export function issueFieldPath(path: readonly PropertyKey[]): FieldPath {
  return path.filter((part): part is string | number => typeof part !== "symbol");
}
