#!/usr/bin/env node
// The only place that touches the process's exit code. Everything else returns it.
import module from "node:module";

module.enableCompileCache?.();
const { runFromProcess } = await import("../dist/cli/main.js");
process.exitCode = await runFromProcess();
