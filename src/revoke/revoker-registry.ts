import type { Revoker } from "./revoker.js";
import { anthropicAdmin } from "./revokers/anthropic-admin.js";
import { awsIam } from "./revokers/aws-iam.js";
import { githubCredentialsRevoke } from "./revokers/github-credentials-revoke.js";
import { githubInstallationToken } from "./revokers/github-installation-token.js";
import { gitlabSelf } from "./revokers/gitlab-self.js";
import { langsmithPat } from "./revokers/langsmith-pat.js";
import { layerKeys } from "./revokers/layer-keys.js";
import { llmosToken } from "./revokers/llmos-token.js";
import { openaiAdmin } from "./revokers/openai-admin.js";
import { openrouterManagement } from "./revokers/openrouter-management.js";
import { perplexitySelf } from "./revokers/perplexity-self.js";
import { pineconeAdmin } from "./revokers/pinecone-admin.js";
import { sendgridApiKeys } from "./revokers/sendgrid-api-keys.js";
import { slackAuthRevoke } from "./revokers/slack-auth-revoke.js";
import { twilioKeys } from "./revokers/twilio-keys.js";

/**
 * Every code revoker, by the name rule files give in `revoke.revoker`. Each carries its
 * provider's hosts in code: a rule can only pick which revoker runs, never where it sends a key.
 */
export const REVOKERS: readonly Revoker[] = [
  slackAuthRevoke,
  gitlabSelf,
  perplexitySelf,
  langsmithPat,
  llmosToken,
  layerKeys,
  githubCredentialsRevoke,
  githubInstallationToken,
  openaiAdmin,
  anthropicAdmin,
  openrouterManagement,
  sendgridApiKeys,
  twilioKeys,
  pineconeAdmin,
  awsIam,
];

const BY_NAME = new Map(REVOKERS.map((revoker) => [revoker.name, revoker]));

export function findRevoker(name: string): Revoker | undefined {
  return BY_NAME.get(name);
}

export function revokerNames(): readonly string[] {
  return REVOKERS.map((revoker) => revoker.name);
}
