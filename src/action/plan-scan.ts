import { UsageError } from "../errors.js";
import type { ActionEvent, PullRequestEvent, PushEvent } from "./read-event.js";
import type { ActionInputs } from "./read-inputs.js";

/**
 * What to scan for this event. Pull requests and pushes scan what they bring (the lines their
 * commits add); scheduled and manual runs, and `scan: full`, scan every blob of the history.
 * Pure: git work happens once the plan is known.
 */
export type ScanPlan =
  | {
      readonly kind: "pull-request";
      readonly pullRequest: PullRequestEvent;
      readonly full: boolean;
    }
  | { readonly kind: "push"; readonly push: PushEvent & { readonly after: string } }
  | { readonly kind: "full" }
  | { readonly kind: "nothing"; readonly reason: string };

export function planScan(event: ActionEvent, scan: ActionInputs["scan"]): ScanPlan {
  if (event.pullRequest) {
    return { kind: "pull-request", pullRequest: event.pullRequest, full: scan === "full" };
  }
  if (event.push) {
    const { after } = event.push;
    if (after === undefined) return { kind: "nothing", reason: "the push deleted a branch" };
    return scan === "full" ? { kind: "full" } : { kind: "push", push: { ...event.push, after } };
  }
  if (scan === "range") {
    throw new UsageError(
      `input scan: range needs a pull_request (or pull_request_target, _review, _review_comment), push or merge_group event, not ${event.name} (use auto or full)`,
    );
  }
  return { kind: "full" };
}
