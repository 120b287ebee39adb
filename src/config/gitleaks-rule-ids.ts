/**
 * gitleaks' rule ids beside keywarden's: for `keywarden import gitleaks`, and for the entries of
 * a .gitleaksignore or a gitleaks report used as a baseline, which name gitleaks' ids.
 */

/** keywarden ids are lowercase words joined by single hyphens. */
export function keywardenRuleId(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * gitleaks default rules whose work a keywarden built-in rule does under another id, or shares
 * with another gitleaks rule. A built-in is disabled only when every gitleaks rule it stands for
 * is, so an import never hides more than gitleaks did. Ids not listed map to themselves.
 */
export const BUILTIN_EQUIVALENTS: ReadonlyMap<string, readonly string[]> = new Map([
  ["airtable-personnal-access-token", ["airtable-personal-access-token"]],
  ["anthropic-admin-api-key", ["anthropic-admin-key"]],
  ["artifactory-api-key", ["artifactory-api-key"]],
  ["artifactory-reference-token", ["artifactory-reference-token"]],
  ["aws-access-token", ["aws-access-key-id"]],
  ["aws-amazon-bedrock-api-key-long-lived", ["aws-bedrock-api-key"]],
  ["aws-amazon-bedrock-api-key-short-lived", ["aws-bedrock-short-term-api-key"]],
  ["bittrex-access-key", ["bittrex-api-key"]],
  ["bittrex-secret-key", ["bittrex-api-key"]],
  ["cloudflare-api-key", ["cloudflare-api-token-legacy"]],
  ["cloudflare-global-api-key", ["cloudflare-global-api-key-legacy"]],
  ["cohere-api-token", ["cohere-api-key"]],
  ["datadog-access-token", ["datadog-app-key"]],
  ["dropbox-api-token", ["dropbox-app-secret"]],
  ["gcp-api-key", ["google-api-key"]],
  ["generic-api-key", ["generic-secret"]],
  ["github-app-token", ["github-installation-token", "github-user-to-server-token"]],
  ["github-oauth", ["github-oauth-token"]],
  ["gitlab-cicd-job-token", ["gitlab-ci-job-token"]],
  ["gitlab-kubernetes-agent-token", ["gitlab-agent-token"]],
  ["gitlab-pat", ["gitlab-pat"]],
  ["gitlab-pat-routable", ["gitlab-pat"]],
  ["gitlab-ptt", ["gitlab-pipeline-trigger-token"]],
  ["gitlab-rrt", ["gitlab-runner-registration-token"]],
  ["gitlab-runner-authentication-token", ["gitlab-runner-token"]],
  ["gitlab-runner-authentication-token-routable", ["gitlab-runner-token"]],
  ["huggingface-organization-api-token", ["huggingface-org-token"]],
  ["jfrog-api-key", ["artifactory-api-key"]],
  ["jfrog-identity-token", ["artifactory-reference-token"]],
  [
    "openai-api-key",
    ["openai-project-key", "openai-service-account-key", "openai-admin-key", "openai-legacy-key"],
  ],
  ["sendgrid-api-token", ["sendgrid-api-key"]],
  ["slack-bot-token", ["slack-bot-token"]],
  ["slack-legacy-bot-token", ["slack-bot-token"]],
  ["slack-legacy-token", ["slack-legacy-token"]],
  ["slack-legacy-workspace-token", ["slack-legacy-token"]],
  ["stripe-access-token", ["stripe-live-secret-key", "stripe-test-secret-key"]],
  ["telegram-bot-api-token", ["telegram-bot-token"]],
  ["twilio-api-key", ["twilio-api-key-sid"]],
]);

/** The keywarden built-in rules doing a gitleaks default rule's work. */
export function builtinEquivalents(gitleaksId: string): readonly string[] {
  return BUILTIN_EQUIVALENTS.get(gitleaksId) ?? [keywardenRuleId(gitleaksId)];
}

/**
 * gitleaks' catch-all rules: what gitleaks has no rule for (many AI providers' keys) it reports
 * under these ids, where keywarden reports the provider's rule. An entry naming one names any
 * keywarden rule at its place (with its secret, when the entry records one).
 */
const GENERIC_GITLEAKS_RULES: ReadonlySet<string> = new Set(["generic-api-key"]);

export function isGenericGitleaksRule(gitleaksId: string): boolean {
  return GENERIC_GITLEAKS_RULES.has(gitleaksId);
}
