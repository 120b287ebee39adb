/**
 * How many rules a command worked on, worded the same by `rules list` and `rules test`. Rules
 * with `report: false` are helpers: they report nothing themselves, only complete another rule's
 * finding as its `requires` companion. They are counted apart, and named, so the count of rules
 * that report is the one number every place (the list, the tests, the README) gives.
 */
export function ruleCountText(
  rules: readonly { readonly id: string; readonly report: boolean }[],
  helpersAre: "listed" | "tested",
): string {
  const helpers = rules.filter((rule) => !rule.report).map((rule) => rule.id);
  const reporting = rules.length - helpers.length;
  if (helpers.length === 0) return `${reporting} rules`;
  const helperText = `${helpers.length === 1 ? "1 helper rule" : `${helpers.length} helper rules`} (${helpers.join(", ")})`;
  return helpersAre === "listed"
    ? `${reporting} rules, and ${helperText} not listed: helpers only complete other rules' findings`
    : `${reporting} rules and ${helperText}`;
}
