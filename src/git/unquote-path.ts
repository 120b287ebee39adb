/**
 * Git writes a path between double quotes with C escapes when it holds a quote, a backslash or
 * a control character (and, unless core.quotePath is false, any non-ASCII byte as octal). This
 * undoes that; an unquoted path is returned as is.
 */

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 34,
  "\\": 92,
};

export function unquoteGitPath(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  const body = text.slice(1, -1);
  // Octal escapes are bytes of a UTF-8 sequence: collect bytes, decode once.
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf("\\", i);
    const plainEnd = slash === -1 ? body.length : slash;
    if (plainEnd > i) bytes.push(...Buffer.from(body.slice(i, plainEnd), "utf8"));
    if (slash === -1) break;
    const octal = /^[0-7]{3}/.exec(body.slice(slash + 1, slash + 4));
    const next = body[slash + 1] ?? "";
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i = slash + 4;
    } else if (next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next]!);
      i = slash + 2;
    } else {
      bytes.push(92);
      i = slash + 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
