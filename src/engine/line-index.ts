/** Maps character offsets of a text to 0-based line indices and line bounds. */
export interface LineIndex {
  lineOf(offset: number): number;
  lineCount(): number;
  lineStart(line: number): number;
  /** The line's text without its line terminator. */
  lineText(line: number): string;
}

/**
 * Line starts are found on first use: most fragments have no finding and never need them, and
 * finding them costs a pass over the text.
 */
export function buildLineIndex(text: string): LineIndex {
  let starts: readonly number[] | undefined;
  const lineStarts = (): readonly number[] => {
    if (!starts) {
      const found = [0];
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) found.push(i + 1);
      starts = found;
    }
    return starts;
  };
  return {
    lineOf(offset: number): number {
      const all = lineStarts();
      let low = 0;
      let high = all.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (all[mid]! <= offset) low = mid;
        else high = mid - 1;
      }
      return low;
    },
    lineCount(): number {
      return lineStarts().length;
    },
    lineStart(line: number): number {
      return lineStarts()[line]!;
    },
    lineText(line: number): string {
      const all = lineStarts();
      const start = all[line]!;
      const next = all[line + 1];
      let end = next === undefined ? text.length : next - 1;
      if (end > start && text.charCodeAt(end - 1) === 13) end -= 1;
      return text.slice(start, end);
    },
  };
}

/**
 * The start of the line `count` lines above the one holding `position`, without indexing the
 * whole text; stops early once at or before `floor`.
 */
function lineStartAbove(text: string, position: number, count: number, floor: number): number {
  let start = position <= 0 ? 0 : text.lastIndexOf("\n", position - 1) + 1;
  for (let i = 0; i < count && start > floor && start > 0; i++) {
    start = start >= 2 ? text.lastIndexOf("\n", start - 2) + 1 : 0;
  }
  return start;
}

/**
 * The start of the line `count` lines below the one holding `position` (the text's length past
 * its last line), without indexing the whole text; stops early once past `ceiling`.
 */
function lineStartBelow(text: string, position: number, count: number, ceiling: number): number {
  let start = position;
  for (let i = 0; i < count; i++) {
    const newline = text.indexOf("\n", start);
    if (newline === -1) return text.length;
    start = newline + 1;
    if (start > ceiling) break;
  }
  return start;
}

/**
 * The positions within `chars` characters of text[from, to), and at most `linesAbove` line
 * breaks above it and `linesBelow` below (Infinity: no line bound), kept inside the text. Line
 * bounds are found by walking out from the span, not by indexing the whole text.
 */
export function spanAround(
  text: string,
  from: number,
  to: number,
  chars: number,
  linesAbove: number,
  linesBelow: number,
): { from: number; to: number } {
  const floor = from - chars;
  const ceiling = to + chars;
  return boundedSpan(
    text.length,
    floor,
    ceiling,
    Number.isFinite(linesAbove) ? lineStartAbove(text, from, linesAbove, floor) : 0,
    Number.isFinite(linesBelow) ? lineStartBelow(text, to, linesBelow, ceiling) : text.length,
  );
}

/**
 * spanAround by a line index: the same span, found in time that does not grow with the lines
 * it crosses (a bound of thousands of lines, tried at thousands of places).
 */
export function indexedSpanAround(
  lines: LineIndex,
  length: number,
  from: number,
  to: number,
  chars: number,
  linesAbove: number,
  linesBelow: number,
): { from: number; to: number } {
  const above = lines.lineOf(from) - linesAbove;
  const below = lines.lineOf(to) + linesBelow;
  return boundedSpan(
    length,
    from - chars,
    to + chars,
    above <= 0 ? 0 : lines.lineStart(above),
    below >= lines.lineCount() ? length : lines.lineStart(below),
  );
}

/** [floor, ceiling) narrowed to the line bounds given, and kept inside a text of `length`. */
function boundedSpan(
  length: number,
  floor: number,
  ceiling: number,
  lineFloor: number,
  lineCeiling: number,
): { from: number; to: number } {
  return {
    from: Math.max(0, floor, lineFloor),
    to: Math.min(length, ceiling, lineCeiling),
  };
}
