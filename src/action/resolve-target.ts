import type { ScanPlan } from "./plan-scan.js";
import {
  type PrepareOptions,
  prepareFullHistory,
  preparePullRequest,
  preparePush,
  type ScanTarget,
} from "./prepare-commits.js";
import { branchOf } from "./read-event.js";

/**
 * Turns the plan into git terms: what to scan, which commit the config is trusted from, and
 * which two commits bound the change a reviewer sees (for placing comments).
 */
export interface ResolvedTarget {
  /** Undefined: every blob of every ref. */
  readonly target?: ScanTarget;
  /** Commit to read config and ignore files from; undefined: the checkout. */
  readonly configCommit?: string;
  /** True when that commit is a pull request's base (the pull request cannot change it). */
  readonly configFromBase?: boolean;
  /** The change as a diff (`base...head`), when there is one. */
  readonly change?: { readonly base: string; readonly head: string };
  /** What was scanned, one phrase for people. */
  readonly scanned: string;
  readonly branch?: string;
}

const short = (sha: string) => sha.slice(0, 12);

export async function resolveTarget(plan: ScanPlan, git: PrepareOptions): Promise<ResolvedTarget> {
  switch (plan.kind) {
    case "pull-request": {
      const pr = plan.pullRequest;
      const range = await preparePullRequest(pr, git);
      const change = { base: pr.base, head: pr.head };
      if (plan.full) {
        await prepareFullHistory(git);
        return {
          configCommit: pr.base,
          configFromBase: true,
          change,
          scanned: `the full history (pull request #${pr.number})`,
          branch: pr.headRef,
        };
      }
      return {
        target: range,
        configCommit: pr.base,
        configFromBase: true,
        change,
        scanned: `pull request #${pr.number} (commits ${short(pr.base)}..${short(pr.head)})`,
        branch: pr.headRef,
      };
    }
    case "push": {
      const target = await preparePush(plan.push, git);
      const branch = branchOf(plan.push.ref);
      if ("range" in target) {
        return {
          target,
          configCommit: target.head,
          change: { base: target.base, head: target.head },
          scanned: `the push to ${branch} (commits ${short(target.base)}..${short(target.head)})`,
          branch,
        };
      }
      return {
        target,
        configCommit: plan.push.after,
        // A new branch, or one whose commit before the push could not be had.
        scanned: `the branch ${branch} (its whole history)`,
        branch,
      };
    }
    case "full":
      await prepareFullHistory(git);
      return { scanned: "the full history of every branch" };
    case "nothing":
      return { scanned: `no commits (${plan.reason})` };
  }
}
