import { unquoteGitPath } from "./unquote-path.js";

/**
 * A streaming parser of `git diff` / `git log -p` unified output run with `--src-prefix=a/
 * --dst-prefix=b/`, keeping only what a secret scan needs: each file's added lines and their
 * line numbers in the new file, and the unchanged lines the diff shows around them (context,
 * which tells a rule what provider a key is for). Merges' combined diffs (`--cc`: `diff --cc`,
 * `@@@ ... @@@` hunks, one mark column per parent) are read too: there a line is added only
 * when it is in none of the parents (`+` in every column); a line the merge takes from a
 * parent is not its own. Hunk line counts are followed exactly, so no added line is ever
 * mistaken for a header (a `+diff --git` line of a patch file, say).
 */

export type DiffStatus = "added" | "modified" | "renamed" | "copied" | "deleted";

export interface DiffFile {
  /** Path in the new tree (repository-relative, POSIX). */
  readonly path: string;
  readonly status: DiffStatus;
  /** Git file mode in the new tree: "100644", "100755", "120000" (symlink), "160000" (submodule). */
  readonly mode: string | undefined;
  /**
   * Git showed no text for it ("Binary files ... differ"): by its content, or by the
   * repository's attributes or core.bigFileThreshold, which the diff does not tell apart.
   */
  readonly isBinary: boolean;
  /** A merge's combined diff (`diff --cc`), with one parent column per parent. */
  readonly isCombined: boolean;
  /** Object id of the new content, from the `index` line (in full with `--full-index`). */
  readonly blob: string | undefined;
  /** Object id of the old content, one per parent in a combined diff; all zeros where none. */
  readonly parentBlobs: readonly string[];
  readonly addedLines: readonly string[];
  /** New-file line number of each added line. */
  readonly lineNumbers: readonly number[];
  /** The unchanged lines the diff shows around the added ones (none with -U0). */
  readonly contextLines: readonly string[];
  /** New-file line number of each context line. */
  readonly contextNumbers: readonly number[];
  /**
   * Set when the added lines came to more than the parser's `maxAddedBytes`: their size in
   * bytes (joined by newlines). Neither they nor the context are kept then (all four lists
   * are empty): such a file is skipped as too large, and holding its lines only to skip it
   * cost memory in proportion to the file (gigabytes for a log of some hundred megabytes).
   */
  readonly oversizeBytes?: number;
}

export interface DiffParserOptions {
  /** A file adding more bytes than this is only measured (DiffFile.oversizeBytes). */
  readonly maxAddedBytes?: number;
}

/** `@@ -a,b +c,d @@` or, with N parents, N+1 `@` and N old ranges. */
const HUNK_HEADER = /^(@@+) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,(\d+))? \1(?: |$)/;

interface FileState {
  headerPath: string | undefined;
  newPath: string | undefined;
  status: DiffStatus;
  mode: string | undefined;
  isCombined: boolean;
  isBinary: boolean;
  blob: string | undefined;
  parentBlobs: string[];
  addedLines: string[];
  lineNumbers: number[];
  contextLines: string[];
  contextNumbers: number[];
  /** Characters of the added lines held, a newline each: never more than their bytes. */
  heldChars: number;
  oversizeBytes: number | undefined;
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

function newFile(headerPath: string | undefined, isCombined: boolean): FileState {
  return {
    headerPath,
    newPath: undefined,
    status: "modified",
    mode: undefined,
    isCombined,
    isBinary: false,
    blob: undefined,
    parentBlobs: [],
    addedLines: [],
    lineNumbers: [],
    contextLines: [],
    contextNumbers: [],
    heldChars: 0,
    oversizeBytes: undefined,
  };
}

export class DiffParser {
  private file: FileState | undefined;
  /** Lines still to come in the current hunk: of all parents together, and of the new file. */
  private oldLeft = 0;
  private newLeft = 0;
  /** Mark columns of the current hunk: one per parent. */
  private columns = 1;
  private nextLine = 0;

  private readonly maxAddedBytes: number;

  constructor(
    private readonly onFile: (file: DiffFile) => void,
    options: DiffParserOptions = {},
  ) {
    this.maxAddedBytes = options.maxAddedBytes ?? Number.POSITIVE_INFINITY;
  }

  /** True while inside a hunk: the caller must not read the line as one of its own headers. */
  get inHunk(): boolean {
    return this.oldLeft > 0 || this.newLeft > 0;
  }

  line(text: string): void {
    if (this.inHunk) {
      if (this.columns === 1) this.hunkLine(text);
      else this.combinedLine(text);
      return;
    }
    if (text.startsWith("diff --git ")) {
      this.flush();
      this.file = newFile(headerPath(text.slice("diff --git ".length)), false);
      return;
    }
    if (text.startsWith("diff --cc ") || text.startsWith("diff --combined ")) {
      this.flush();
      this.file = newFile(unquoteGitPath(text.slice(text.indexOf(" ", 5) + 1)), true);
      return;
    }
    const file = this.file;
    if (!file) return;
    if (text.startsWith("@@")) {
      this.hunkHeader(file, text);
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
    } else if (text.startsWith("mode ")) {
      // Combined: `mode <parent modes, comma-separated>..<new mode>`.
      file.mode = text.slice(text.indexOf("..") + 2);
    } else if (text.startsWith("index ")) {
      // `index <old>..<new> [mode]`, or combined `index <p1>,<p2>..<new>`.
      const [ids = "", mode] = text.slice("index ".length).split(" ");
      const dots = ids.indexOf("..");
      if (dots !== -1) {
        file.parentBlobs = ids.slice(0, dots).split(",");
        file.blob = ids.slice(dots + 2);
      }
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

  private hunkHeader(file: FileState, text: string): void {
    const header = HUNK_HEADER.exec(text);
    if (!header) return;
    let oldLines = 0;
    for (const range of header[2]!.trimEnd().split(" ")) {
      const comma = range.indexOf(",");
      oldLines += comma === -1 ? 1 : Number(range.slice(comma + 1));
    }
    this.columns = header[1]!.length - 1;
    this.oldLeft = oldLines;
    // A deleted file's new range is empty (a combined diff even writes its count as -1,
    // unsigned); trusting it would swallow what follows.
    this.newLeft = file.status === "deleted" ? 0 : header[4] === undefined ? 1 : Number(header[4]);
    this.nextLine = Number(header[3]);
  }

  private hunkLine(text: string): void {
    const first = text.charCodeAt(0);
    if (first === 43 /* + */) {
      this.added(text.slice(1));
      this.newLeft--;
    } else if (first === 45 /* - */) {
      this.oldLeft--;
    } else if (first === 32 /* space */ || text.length === 0) {
      // A context line; git may strip the space of an empty one.
      this.oldLeft--;
      this.newLeft--;
      this.context(text.slice(1));
    }
    // `\ No newline at end of file` belongs to the previous line and counts for nothing.
  }

  /**
   * A line of a combined hunk. Column i is `-` when the line is in parent i but not in the
   * merge, `+` when it is in the merge but not in parent i, a space when it is in both (for a
   * line of the merge) or does not concern parent i (for a removed line).
   */
  private combinedLine(text: string): void {
    if (text.charCodeAt(0) === 92 /* \ */) return; // `\ No newline at end of file`
    let removedFrom = 0;
    let keptFrom = 0;
    for (let column = 0; column < this.columns; column++) {
      // Past the end (an empty line whose spaces git stripped) reads as a space.
      const mark = text.charCodeAt(column);
      if (mark === 45 /* - */) removedFrom++;
      else if (mark !== 43 /* + */) keptFrom++;
    }
    if (removedFrom > 0) {
      this.oldLeft -= removedFrom;
      return;
    }
    this.oldLeft -= keptFrom;
    this.newLeft--;
    if (keptFrom === 0) {
      this.added(text.slice(this.columns));
    } else {
      this.context(text.slice(this.columns));
    }
  }

  private added(line: string): void {
    const file = this.file;
    if (file?.oversizeBytes !== undefined) {
      file.oversizeBytes += 1 + Buffer.byteLength(line, "utf8");
    } else if (file) {
      file.addedLines.push(this.withoutByteOrderMark(line));
      file.lineNumbers.push(this.nextLine);
      file.heldChars += line.length + 1;
      // A UTF-16 unit is at least a byte of UTF-8: past the limit in characters is past it in
      // bytes. Only then are the bytes counted, once for what is held.
      if (file.heldChars - 1 > this.maxAddedBytes) this.dropLines(file);
    }
    this.nextLine++;
  }

  /** Keeps only the size of a file adding more than maxAddedBytes (see oversizeBytes). */
  private dropLines(file: FileState): void {
    file.oversizeBytes = Buffer.byteLength(file.addedLines.join("\n"), "utf8");
    file.addedLines = [];
    file.lineNumbers = [];
    file.contextLines = [];
    file.contextNumbers = [];
  }

  private context(line: string): void {
    const file = this.file;
    if (file && file.oversizeBytes === undefined) {
      file.contextLines.push(this.withoutByteOrderMark(line));
      file.contextNumbers.push(this.nextLine);
    }
    this.nextLine++;
  }

  /**
   * Line 1 without a UTF-8 byte-order mark: it is no content, and `scan` and history (decodeText)
   * leave it out, so a key on that line gets the same column from every command.
   */
  private withoutByteOrderMark(line: string): string {
    return this.nextLine === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
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
      isCombined: file.isCombined,
      blob: file.blob,
      parentBlobs: file.parentBlobs,
      addedLines: file.addedLines,
      lineNumbers: file.lineNumbers,
      contextLines: file.contextLines,
      contextNumbers: file.contextNumbers,
      ...(file.oversizeBytes !== undefined ? { oversizeBytes: file.oversizeBytes } : {}),
    });
  }
}
