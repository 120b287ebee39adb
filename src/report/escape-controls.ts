/** Escapes for the control characters people know by sight; the rest become `\xNN`. */
const NAMED: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Untrusted text (a file name, a commit author, a server's reply) made safe to print on a
 * terminal: C0 and C1 control characters and DEL are shown as `\n`, `\x1b`..., so a name
 * cannot clear or recolour the screen, forge a line or break the layout. Other text is
 * returned as it is.
 */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROLS,
    (char) => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
