import { config, minLength, string } from "zod/mini";
import en from "zod/v4/locales/en.js";

/**
 * zod/mini, the tree-shakable build of zod: its checks are functions, so a bundle holds only
 * those it uses (69 KB against 755 KB for the method-chaining build), and a run that reads a
 * config, the pre-commit hook's included, starts about 40 ms sooner. It loads no locale by
 * itself: the English messages are set here, once, for every schema. Import it as a namespace
 * (`import * as z`) so that what a file does not use stays out of the bundle.
 */
config(en());

export * from "zod/mini";

/** A string with at least one character: the check the project's schemas ask most. */
export const nonEmptyString = () => string().check(minLength(1));
