import { RuntimeError } from "../errors.js";
import { readRegularFile } from "../read-regular-file.js";

/**
 * A hook file's text; undefined when there is none. A folder (or a FIFO, a device) in a hook's
 * place, or one that cannot be read, is one line naming it, for `keywarden hook <action>`.
 */
export function readHook(path: string, shown: string, action: string): string | undefined {
  try {
    return readRegularFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === "ENOENT") return undefined;
    const reason = code === "EISDIR" ? "a folder is in its place" : code;
    throw new RuntimeError(
      `${shown}: cannot read it (${reason}): move it away, then run keywarden hook ${action} again`,
    );
  }
}
