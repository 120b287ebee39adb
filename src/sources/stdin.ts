import type { Readable } from "node:stream";
import type { Fragment, SkipNotice } from "../types.js";
import { decodeText, isBinary } from "./read-text.js";

/** Everything on standard input as one fragment, named `path` (default `<stdin>`). */
export async function* stdinFragments(
  stdin: Readable,
  path: string,
  onSkip: (notice: SkipNotice) => void,
): AsyncGenerator<Fragment> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const bytes = Buffer.concat(chunks);
  if (isBinary(bytes)) {
    onSkip({ path, reason: "binary", detail: "standard input holds binary data" });
    return;
  }
  yield { text: decodeText(bytes), path, startLine: 1 };
}
