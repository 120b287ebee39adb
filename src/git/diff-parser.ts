import { unquoteGitPath } from "./unquote-path.js";

/**
 * A streaming parser of `git diff` / `git log -p` unified output run with `-U0
 * --src-prefix=a/ --dst-prefix=b/`, keeping only what a secret scan needs: each file's added
 * lines and their line numbers in the new file. Hunk line counts are followed exactly, so no
 * added line is ever mistaken for a header (a `+diff --git` line of a patch file, say).
 */

export type DiffStatus = "added" | "modified" | "renamed" | "copied" | "deleted";

export interface DiffFile {
  /** Path in the new tree (repository-relative, POSIX). */
  readonly path: string;
  readonly status: DiffStatus;
  /** Git file mode in the new tree: "100644", "100755", "120000" (symlink), "160000" (submodule). */
  readonly mode: string | undefined;
  readonly isBinary: boolean;
  readonly addedLines: readonly string[];
  /** New-file line number of each added line. */
  readonly lineNumbers: readonly number[];
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

interface FileState {
  headerPath: string | undefined;
  newPath: string | undefined;
  status: DiffStatus;
  mode: string | undefined;
  isBinary: boolean;
  addedLines: string[];
  lineNumbers: number[];
}

/** Strips the `a/` or `b/` prefix from a (possibly quoted) diff path. */
function stripPrefix(raw: string, prefix: "a/" | "b/"): string | undefined {
  let text = raw;
  // Git ends `---`/`+++` names holding a space with a tab (for GNU patch); a real trailing tab
  // would have been quoted.
  if (text.endsWith("\t")) text = text.slice(0, -1);
  const path = unquoteGitPath(text);
  return path.startsWith(prefix) ? path.slice(2) : undefined;
}

/** Reads the new path from `diff --git a/P b/P` (quoted or not); undefined when ambiguous. */
function headerPath(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    // Two quoted names: find the end of the first one (a quote not escaped).
    let i = 1;
    while (i < rest.length && rest[i] !== '"') i += rest[i] === "\\" ? 2 : 1;
    const second = rest.slice(i + 2);
    return stripPrefix(second, "b/");
  }
  // Unquoted: without a rename both names are the same path P, so the text is "a/P b/P".
  if ((rest.length - 5) % 2 !== 0) return undefined;
  const length = (rest.length - 5) / 2;
  const first = rest.slice(2, 2 + length);
  const second = rest.slice(2 + length + 3);
  return first === second ? second : undefined;
}

export class DiffParser {
  private file: FileState | undefined;
  private oldLeft = 0;
  private newLeft = 0;
  private nextLine = 0;

  constructor(private readonly onFile: (file: DiffFile) => void) {}

  /** True while inside a hunk: the caller must not read the line as one of its own headers. */
  get inHunk(): boolean {
    return this.oldLeft > 0 || this.newLeft > 0;
  }

  line(text: string): void {
    if (this.inHunk) {
      this.hunkLine(text);
      return;
    }
    if (text.startsWith("diff --git ")) {
      this.flush();
      this.file = {
        headerPath: headerPath(text.slice("diff --git ".length)),
        newPath: undefined,
        status: "modified",
        mode: undefined,
        isBinary: false,
        addedLines: [],
        lineNumbers: [],
      };
      return;
    }
    const file = this.file;
    if (!file) return;
    if (text.startsWith("@@")) {
      const header = HUNK_HEADER.exec(text);
      if (!header) return;
      this.oldLeft = header[1] === undefined ? 1 : Number(header[1]);
      this.newLeft = header[3] === undefined ? 1 : Number(header[3]);
      this.nextLine = Number(header[2]);
    } else if (text.startsWith("+++ ")) {
      const path = text.slice(4);
      if (path === "/dev/null") file.status = "deleted";
      else file.newPath = stripPrefix(path, "b/") ?? file.newPath;
    } else if (text.startsWith("new file mode ")) {
      file.status = "added";
      file.mode = text.slice("new file mode ".length);
    } else if (text.startsWith("deleted file mode ")) {
      file.status = "deleted";
    } else if (text.startsWith("new mode ")) {
      file.mode = text.slice("new mode ".length);
    } else if (text.startsWith("index ")) {
      const mode = text.split(" ")[2];
      if (mode) file.mode = mode;
    } else if (text.startsWith("rename to ")) {
      file.status = "renamed";
      file.newPath = unquoteGitPath(text.slice("rename to ".length));
    } else if (text.startsWith("copy to ")) {
      file.status = "copied";
      file.newPath = unquoteGitPath(text.slice("copy to ".length));
    } else if (text.startsWith("Binary files ") || text === "GIT binary patch") {
      file.isBinary = true;
    }
  }

  private hunkLine(text: string): void {
    const first = text.charCodeAt(0);
    if (first === 43 /* + */) {
      this.file?.addedLines.push(text.slice(1));
      this.file?.lineNumbers.push(this.nextLine);
      this.nextLine++;
      this.newLeft--;
    } else if (first === 45 /* - */) {
      this.oldLeft--;
    } else if (first === 32 /* space */ || text.length === 0) {
      // A context line (none with -U0, but tolerated); git may strip the space of an empty one.
      this.oldLeft--;
      this.newLeft--;
      this.nextLine++;
    }
    // `\ No newline at end of file` belongs to the previous line and counts for nothing.
  }

  /** Emits the file being read, if any. Call at the end of input or at a caller's header. */
  flush(): void {
    const file = this.file;
    this.file = undefined;
    this.oldLeft = 0;
    this.newLeft = 0;
    if (!file) return;
    const path = file.newPath ?? file.headerPath;
    if (path === undefined) return;
    this.onFile({
      path,
      status: file.status,
      mode: file.mode,
      isBinary: file.isBinary,
      addedLines: file.addedLines,
      lineNumbers: file.lineNumbers,
    });
  }
}
