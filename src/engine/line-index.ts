/** Maps character offsets of a text to 0-based line indices and line bounds. */
export interface LineIndex {
  lineOf(offset: number): number;
  lineStart(line: number): number;
  /** The line's text without its line terminator. */
  lineText(line: number): string;
}

export function buildLineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return {
    lineOf(offset: number): number {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid]! <= offset) low = mid;
        else high = mid - 1;
      }
      return low;
    },
    lineStart(line: number): number {
      return starts[line]!;
    },
    lineText(line: number): string {
      const start = starts[line]!;
      const next = starts[line + 1];
      let end = next === undefined ? text.length : next - 1;
      if (end > start && text.charCodeAt(end - 1) === 13) end -= 1;
      return text.slice(start, end);
    },
  };
}
