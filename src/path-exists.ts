import { lstatSync } from "node:fs";

/** Whether something is at `path`, a link counting as itself (a broken one too). */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
