/**
 * Typed errors. Modules throw these; only src/cli/main.ts catches them and maps them to exit
 * code 2 with one line of text. Anything else is an InternalError (a bug), shown with its stack
 * only under --debug.
 */

export class KeywardenError extends Error {
  override readonly name: string = "KeywardenError";
}

/** Bad command line: unknown option, bad value, missing argument. */
export class UsageError extends KeywardenError {
  override readonly name = "UsageError";
}

/** A config or rule file that cannot be used. The message names file, rule and field. */
export class ConfigError extends KeywardenError {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** A git command that failed, with what git said. */
export class GitError extends KeywardenError {
  override readonly name = "GitError";
  constructor(
    message: string,
    readonly command?: string,
    readonly stderr?: string,
  ) {
    super(message);
  }
}

/** A run-time problem that is not the user's input (unreadable file, network failure...). */
export class RuntimeError extends KeywardenError {
  override readonly name = "RuntimeError";
}

export function isKeywardenError(error: unknown): error is KeywardenError {
  return error instanceof KeywardenError;
}
