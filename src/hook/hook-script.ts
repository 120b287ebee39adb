/**
 * The shell text keywarden puts into hooks. Everything it writes sits between two marker lines,
 * so install can update it in place and uninstall can take out exactly what it added.
 */

export const BLOCK_START = "# >>> keywarden pre-commit guard (keywarden hook install) >>>";
export const BLOCK_END = "# <<< keywarden pre-commit guard <<<";

/** The hook that was in place before a plain git hook install; run first, put back on uninstall. */
export const CHAINED_SUFFIX = ".pre-keywarden";

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command each branch of the block runs: its failure is the hook's. */
const STAGED = "staged || exit $?";

/**
 * Runs `keywarden staged` from the first place it is found: the project's node_modules (the
 * hook runs at the top of the work tree; `localBins` adds ones of nested packages), the main
 * worktree's node_modules (from a linked worktree), then PATH,
 * then npx without installing anything. A failure ends the hook with keywarden's exit code
 * (`|| exit $?`), so a line added after the block (`npx lint-staged`) cannot let a blocked
 * commit through by exiting 0; a missing keywarden blocks too, with a line saying so, rather
 * than letting commits through.
 */
export function runKeywardenBlock(localBins: readonly string[] = []): string {
  const candidates = [...new Set([...localBins, "./node_modules/.bin/keywarden"])];
  const lines = [BLOCK_START];
  candidates.forEach((bin, index) => {
    lines.push(`${index === 0 ? "if" : "elif"} [ -x ${shellQuote(bin)} ]; then`);
    lines.push(`  ${shellQuote(bin)} ${STAGED}`);
  });
  // A linked worktree (git worktree add) has no node_modules of its own: the main one's serves.
  for (const bin of candidates) {
    const inMain = `"$main"/${shellQuote(bin.replace(/^\.\//, ""))}`;
    lines.push(
      `elif main="$(git rev-parse --git-common-dir 2>/dev/null)/.." && [ -x ${inMain} ]; then`,
    );
    lines.push(`  ${inMain} ${STAGED}`);
  }
  lines.push("elif command -v keywarden >/dev/null 2>&1; then");
  lines.push(`  keywarden ${STAGED}`);
  // --offline: npx must not go to the registry on every commit when keywarden is missing.
  lines.push("elif npx --no-install --offline keywarden --version >/dev/null 2>&1; then");
  lines.push(`  npx --no-install --offline keywarden ${STAGED}`);
  lines.push("else");
  lines.push(
    '  echo "keywarden hook: keywarden is not installed (npm install --save-dev keywarden), or remove this hook: keywarden hook uninstall" >&2',
  );
  lines.push("  exit 1");
  lines.push("fi");
  lines.push(BLOCK_END);
  return `${lines.join("\n")}\n`;
}

/** A complete `.git/hooks/pre-commit` that runs the chained hook (if any) first. */
export function gitHookScript(localBins: readonly string[] = []): string {
  return [
    "#!/bin/sh",
    "# Installed by `keywarden hook install`; `keywarden hook uninstall` removes it and puts",
    `# back the hook that was here before (kept as pre-commit${CHAINED_SUFFIX}).`,
    `chained="$(dirname "$0")/pre-commit${CHAINED_SUFFIX}"`,
    'if [ -x "$chained" ]; then',
    '  "$chained" "$@" || exit $?',
    "fi",
    runKeywardenBlock(localBins),
  ].join("\n");
}

/** True when `text` holds a keywarden block. */
export function hasKeywardenBlock(text: string): boolean {
  return text.includes(BLOCK_START);
}

/**
 * Where the keywarden block lies in `text`, its closing newline included; a block whose end
 * marker was deleted by hand runs to the end of the text.
 */
function blockSpan(text: string): { start: number; end: number } | undefined {
  const start = text.indexOf(BLOCK_START);
  if (start === -1) return undefined;
  const endMarker = text.indexOf(BLOCK_END, start);
  const end = endMarker === -1 ? text.length : endMarker + BLOCK_END.length;
  return { start, end: text[end] === "\n" ? end + 1 : end };
}

/**
 * `text` without the keywarden block and the newline withKeywardenBlock put before it: the blank
 * line's, or, at the end of the text, the one a text without a final newline got.
 */
export function removeKeywardenBlock(text: string): string {
  const span = blockSpan(text);
  if (!span) return text;
  const before = text.slice(0, span.start);
  const after = text.slice(span.end);
  const isSeparated = before.endsWith("\n\n") || (after === "" && before.endsWith("\n"));
  return (isSeparated ? before.slice(0, -1) : before) + after;
}

/**
 * `text` with the keywarden block appended, or replaced where it already is. Appended after a
 * blank line, or after a line break only when the text lacks a final newline, so that
 * removeKeywardenBlock can tell the two apart.
 */
export function withKeywardenBlock(text: string, block: string): string {
  const span = blockSpan(text);
  if (span) return text.slice(0, span.start) + block + text.slice(span.end);
  if (text.length === 0) return block;
  return `${text}\n${block}`;
}
