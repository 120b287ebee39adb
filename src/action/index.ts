import { runActionFromProcess } from "./run-action.js";

// The Action's entry (action.yml runs the bundle of this file): the one place that sets the
// process's exit code.
process.exitCode = await runActionFromProcess();
