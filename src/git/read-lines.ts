import { StringDecoder } from "node:string_decoder";

/**
 * Splits a byte stream into text lines (UTF-8, invalid bytes replaced, without the `\n`), one
 * batch per chunk read: a per-line await would cost more than the parsing. Chunks are pulled
 * only as batches are consumed, so a slow consumer holds back the producing process.
 */
export async function* readLineBatches(
  stream: AsyncIterable<Buffer | string>,
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder("utf8");
  // Pieces of a line that has not ended yet; only new text is searched for `\n`, so a very
  // long line costs linear time.
  let partial: string[] = [];
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    let end = text.indexOf("\n");
    if (end === -1) {
      if (text.length > 0) partial.push(text);
      continue;
    }
    const lines: string[] = [];
    partial.push(text.slice(0, end));
    lines.push(partial.join(""));
    partial = [];
    let start = end + 1;
    for (end = text.indexOf("\n", start); end !== -1; end = text.indexOf("\n", start)) {
      lines.push(text.slice(start, end));
      start = end + 1;
    }
    if (start < text.length) partial.push(text.slice(start));
    yield lines;
  }
  const tail = partial.join("") + decoder.end();
  if (tail.length > 0) yield [tail];
}
