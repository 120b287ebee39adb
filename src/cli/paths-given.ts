/**
 * The paths a command was given: its `paths` positionals, and what follows a `--`, which yargs
 * keeps apart in `argv._` after the command's own words (`commandWords` of them), so that
 * `scan -- -secret.env` scans that file. The fast path (plain-args.ts) puts them all in `paths`.
 */
export function pathsGiven(argv: Record<string, unknown>, commandWords: number): string[] {
  const named = Array.isArray(argv.paths) ? argv.paths.map(String) : [];
  const rest = Array.isArray(argv._) ? argv._.slice(commandWords).map(String) : [];
  return [...named, ...rest];
}
