import type { CommandModule } from "yargs";
import { changeContext } from "../../engine/change-context.js";
import { UsageError } from "../../errors.js";
import {
  aggregateOccurrences,
  withPlacesAddedAgain,
} from "../../pipeline/aggregate-occurrences.js";
import { allowedPlaceMatcher } from "../../sources/allowed-place.js";
import { globPathFromTop, withGlobPaths } from "../../sources/config-paths.js";
import { excludeMatcher } from "../../sources/git-source-options.js";
import { historyScanFragments } from "../../sources/history-scan.js";
import type { BlobPlace, Fragment } from "../../types.js";
import { executeScan } from "../execute-scan.js";
import type { CommandContext } from "../io.js";
import { type OptionSpec, withOptions } from "../option-spec.js";
import type { PlainCommand } from "../plain-args.js";
import { createProgressBar, type ProgressBar } from "../progress-bar.js";
import { readScanOptions, withScanOptions } from "../scan-options.js";

/** Revisions come from the command line: never let one pass as a git option. */
function revisionOption(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text === "" || text.startsWith("-")) {
    throw new UsageError(`${flag}: "${text}" is not a branch, commit or range`);
  }
  return text;
}

function positiveCount(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\s*[1-9]\d*\s*$/.test(text)) {
    throw new UsageError(`${flag}: "${text}" is not a positive whole number`);
  }
  return Number(text);
}

async function* clearingProgress(
  fragments: AsyncIterable<Fragment>,
  bar: ProgressBar,
): AsyncGenerator<Fragment> {
  try {
    yield* fragments;
  } finally {
    bar.done();
  }
}

/** history's own options, after the scan ones. */
const HISTORY_OPTIONS: readonly OptionSpec[] = [
  {
    name: "branch",
    type: "string",
    describe: "Only the history of this branch or commit (default: all refs)",
  },
  {
    name: "since",
    type: "string",
    describe: "Only commits more recent than this date (e.g. 2024-01-31, '2 weeks ago')",
  },
  // Read as text and checked here: a number option would turn "abc" into NaN before any message.
  { name: "max-count", type: "string", describe: "Only the N most recent commits" },
  {
    name: "range",
    type: "string",
    describe: "Only the lines added by the commits of this range (A..B: a pull request, a push)",
  },
];

/** --range names its commits itself: a branch, date or count beside it would be ignored. */
const RANGE_CONFLICTS = ["branch", "since", "max-count"];

/**
 * The history scan, from the options record yargs parses or the one the fast path reads
 * (plain-args.ts): one handler for both.
 */
async function runHistory(context: CommandContext, argv: Record<string, unknown>): Promise<void> {
  const options = readScanOptions(argv);
  const { io } = context;
  const range = revisionOption(argv.range, "--range");
  const branch = revisionOption(argv.branch, "--branch");
  const maxCount = positiveCount(argv["max-count"], "--max-count");
  const bar = createProgressBar(io.stderr, io.stderr.isTTY && !options.quiet);
  const addedAgain = new Map<string, BlobPlace[]>();
  await executeScan(context, {
    source: range === undefined ? "history" : "range",
    scanRoot: ".",
    options,
    fragments: (config, onSkip) => {
      const globPath = globPathFromTop(config.configFile, io.cwd);
      const fragments = historyScanFragments({
        cwd: io.cwd,
        env: io.env,
        maxFileSize: config.maxFileSize,
        onSkip,
        isExcluded: excludeMatcher(config.exclude, globPath),
        isAllowedPlace: allowedPlaceMatcher(config.allow, globPath),
        ...(range !== undefined ? { range, contextAround: changeContext(config.rules) } : {}),
        ...(branch !== undefined ? { branch } : {}),
        ...(argv.since !== undefined ? { since: String(argv.since) } : {}),
        ...(maxCount !== undefined ? { maxCount } : {}),
        onNote: (text) => {
          if (!options.quiet) io.stderr.write(`keywarden: ${text}\n`);
        },
        onProgress: (progress) => bar.update(progress),
        onAddedAgain: (sha, place) => {
          const places = addedAgain.get(sha);
          if (places) places.push(place);
          else addedAgain.set(sha, [place]);
        },
      });
      return clearingProgress(withGlobPaths(fragments, globPath), bar);
    },
    everyPlace: (findings) => withPlacesAddedAgain(findings, addedAgain),
    afterSuppression: aggregateOccurrences,
  });
}

export const plainHistory: PlainCommand = {
  options: HISTORY_OPTIONS,
  conflicts: RANGE_CONFLICTS.map((name) => ["range", name] as const),
  run: runHistory,
};

export function historyCommand(context: CommandContext): CommandModule {
  return {
    command: "history",
    describe:
      "Scan git history: every blob of every branch once, each finding attributed to the commit that added it",
    builder: (yargs) =>
      withOptions(withScanOptions(yargs), HISTORY_OPTIONS).conflicts("range", RANGE_CONFLICTS),
    handler: (argv) => runHistory(context, argv),
  };
}
