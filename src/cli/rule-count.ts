/**
 * How many rules a command worked on, worded the same by `rules list` and `rules test`. Rules
 * with `report: false` are helpers: they report nothing themselves, only complete another rule's
 * finding as its `requires` companion. They are counted apart, so the count of rules that report
 * is the one number every place (the list, the tests, the README) gives.
 */
export function ruleCountText(
  rules: readonly { readonly report: boolean }[],
  helpersAre: "listed" | "tested",
): string {
  const helpers = rules.filter((rule) => !rule.report).length;
  const reporting = rules.length - helpers;
  if (helpers === 0) return `${reporting} rules`;
  const helperText = helpers === 1 ? "1 helper rule" : `${helpers} helper rules`;
  return helpersAre === "listed"
    ? `${reporting} rules, and ${helperText} not listed (helpers only complete other rules' findings)`
    : `${reporting} rules and ${helperText}`;
}
