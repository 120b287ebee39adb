import type { OptionSpec } from "./option-spec.js";

/**
 * --debug, which every command takes: an error's message is one line, and its stack trace, for a
 * bug report, is printed only when asked (main.ts reads the flag itself, before any parsing, so
 * that an error in the parsing is covered too).
 */
export const DEBUG_OPTION: OptionSpec = {
  name: "debug",
  type: "boolean",
  default: false,
  describe: "On an error, print its stack trace too (for a bug report)",
};
