import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

/**
 * zod/mini, the tree-shakable build of zod: its checks are functions, so a bundle holds only
 * those it uses (tens of kilobytes against 755 KB for the method-chaining build), which every
 * run that reads a config loads about 25 ms faster, the pre-commit hook's included. It loads no
 * locale by itself: the English messages are set here, once, for every schema. Import it as a
 * namespace (`import * as z`) so that what a file does not use stays out of the bundle.
 */
config(en());

export * from "zod/mini";
