import { relative, resolve } from "node:path";
import { findUp } from "../config/find-up.js";
import { escapeControls } from "../report/escape-controls.js";

/** gitleaks' own config name, which it reads from the scanned repository's top. */
const GITLEAKS_CONFIG = ".gitleaks.toml";

/**
 * One line for a scan that found no keywarden config where a gitleaks config lies: a team moving
 * from gitleaks would otherwise scan without its own rules and allowlists and not know it
 * (keywarden never reads TOML; `keywarden import gitleaks` converts it). Undefined otherwise.
 */
export function gitleaksConfigNotice(cwd: string, scanRoot: string): string | undefined {
  const found = findUp(resolve(cwd, scanRoot), [GITLEAKS_CONFIG], true);
  if (found === undefined) return undefined;
  const shown = escapeControls(relative(cwd, found) || found);
  return `keywarden: note: ${shown} is gitleaks' config and is not read (its rules and allowlists do not apply); convert it with: keywarden import gitleaks ${shown}\n`;
}
