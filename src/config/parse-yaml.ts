import { type Alias, type Document, isNode, LineCounter, parseDocument, visit } from "yaml";
import { ConfigError } from "../errors.js";
import type * as z from "../zod-mini.js";
import { findBinaryValue } from "./binary-value.js";
import { closestName } from "./closest-name.js";
import { type FieldPath, fieldText, issueFieldPath } from "./field-text.js";
import { knownKeysAt } from "./schema-keys.js";

export interface ParsedYaml<T> {
  readonly value: T;
  /** 1-based line of the node at a path, for messages that point into the file. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

function describePath(path: FieldPath, value: unknown): string {
  const [head, index, ...rest] = path;
  if (head === "rules" && typeof index === "number") {
    const rules = (value as { rules?: { id?: unknown }[] } | undefined)?.rules;
    const id = rules?.[index]?.id;
    const name = typeof id === "string" ? `rule ${id}` : `rules[${index}]`;
    return rest.length > 0 ? `${name} field ${fieldText(rest)}` : name;
  }
  return path.length > 0 ? `field ${fieldText(path)}` : "top level";
}

/** One problem the schema found: where it is and what it is. */
interface Problem {
  readonly path: FieldPath;
  readonly message: string;
}

/**
 * The schema's issues as problems. zod reports unknown keys at the object holding them; each is
 * reported at its own place instead, with the known key it most likely misspells.
 */
function problemsOf(issues: readonly z.core.$ZodIssue[], schema: z.ZodMiniType): Problem[] {
  return issues.flatMap((issue) => {
    const path = issueFieldPath(issue.path);
    if (issue.code !== "unrecognized_keys") return [{ path, message: issue.message }];
    const known = knownKeysAt(schema, path);
    return issue.keys.map((key) => {
      const meant = closestName(key, known);
      return {
        path: [...path, key],
        message: `unknown key${meant ? ` (did you mean ${meant}?)` : ""}`,
      };
    });
  });
}

/**
 * The first alias that stands inside the node its anchor names (`a: &a [*a]`): its value would
 * hold itself, a loop that every walk over the value (the schema's too) would follow forever.
 */
function selfHoldingAlias(document: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(document, {
    Alias(_, alias) {
      const target = alias.resolve(document);
      if (target?.range && alias.range && target.range[0] <= alias.range[0]) {
        if (alias.range[1] <= target.range[2]) {
          found = alias;
          return visit.BREAK;
        }
      }
      return undefined;
    },
  });
  return found;
}

/** How many nodes aliases may expand to, in all; the yaml package's default (100) is too few. */
const MAX_ALIAS_EXPANSION = 100_000;

/**
 * Parses a YAML file and validates it with a schema. Every problem becomes one ConfigError line
 * naming the file, its line, the rule and the field, so a user can go straight to it.
 */
export function parseYamlWithSchema<S extends z.ZodMiniType>(
  text: string,
  file: string,
  schema: S,
): ParsedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  // `merge`: `<<: *anchor` merge keys, which configs sharing fields between rules use.
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
  });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const line = lineCounter.linePos(syntaxError.pos[0]).line;
    throw new ConfigError(
      `${file}:${line}: not valid YAML: ${syntaxError.message.split("\n")[0]}`,
      file,
    );
  }
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const loop = selfHoldingAlias(document);
  if (loop) {
    const line = lineCounter.linePos(loop.range![0]).line;
    throw new ConfigError(
      `${file}:${line}: not usable YAML: the alias *${loop.source} stands inside the value its anchor &${loop.source} names, so that value would hold itself`,
      file,
    );
  }
  let raw: unknown;
  try {
    // One small anchor reused by every rule is usual; the cap only stops a document whose aliases
    // of aliases expand without bound (a "billion laughs").
    raw = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (error) {
    throw new ConfigError(`${file}: not usable YAML: ${(error as Error).message}`, file);
  }
  const binaryAt = findBinaryValue(raw);
  if (binaryAt) {
    const line = lineOf(binaryAt);
    throw new ConfigError(
      `${file}${line ? `:${line}` : ""}: ${describePath(binaryAt, raw)}: a binary value (!!binary) is not allowed here`,
      file,
    );
  }
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    // In the file's order, so the first problem named is the first a reader meets.
    const messages = problemsOf(result.error.issues, schema)
      .map((problem) => ({ ...problem, line: lineOf(problem.path) }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
      .map(
        ({ path, message, line }) =>
          `${file}${line ? `:${line}` : ""}: ${describePath(path, raw)}: ${message}`,
      );
    const more =
      messages.length > 1
        ? ` (and ${messages.length - 1} more problem${messages.length > 2 ? "s" : ""})`
        : "";
    throw new ConfigError(`${messages[0]}${more}`, file);
  }
  return { value: result.data, lineOf };
}
