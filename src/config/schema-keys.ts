import type * as z from "../zod-mini.js";
import type { FieldPath } from "./field-text.js";

/**
 * The parts of a zod schema's definition this walk reads. zod types its definitions as a wide
 * union; reading them through this one shape keeps the walk short.
 */
interface SchemaNode {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, SchemaNode>>;
      readonly element?: SchemaNode;
      readonly innerType?: SchemaNode;
      readonly options?: readonly SchemaNode[];
      readonly valueType?: SchemaNode;
      readonly in?: SchemaNode;
    };
  };
}

/** The schemas a value may meet at a node: wrappers are looked through, unions fanned out. */
function unwrap(node: SchemaNode): SchemaNode[] {
  const def = node._zod.def;
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === "pipe" && def.in) return unwrap(def.in);
  if (def.options) return def.options.flatMap(unwrap);
  return [node];
}

function child(node: SchemaNode, part: string | number): SchemaNode | undefined {
  const def = node._zod.def;
  if (def.type === "object" && typeof part === "string") return def.shape?.[part];
  if (def.type === "array" && typeof part === "number") return def.element;
  if (def.type === "record") return def.valueType;
  return undefined;
}

/**
 * The keys an object at `path` may hold under `schema`, to tell a user which one a misspelt key
 * was meant to be. Empty when the schema has no object there.
 */
export function knownKeysAt(schema: z.ZodMiniType, path: FieldPath): string[] {
  let nodes = unwrap(schema as unknown as SchemaNode);
  for (const part of path) {
    nodes = nodes.flatMap((node) => {
      const next = child(node, part);
      return next ? unwrap(next) : [];
    });
  }
  const keys = nodes.flatMap((node) =>
    node._zod.def.type === "object" ? Object.keys(node._zod.def.shape ?? {}) : [],
  );
  return [...new Set(keys)];
}
