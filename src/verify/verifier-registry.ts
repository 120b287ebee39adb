import type { VerifyConfig } from "../config/rule-schema.js";
import { awsKeyHalf, awsStsVerifier } from "./custom/aws-sts.js";
import { slackAuthTestVerifier } from "./custom/slack-auth-test.js";
import { twilioBasicVerifier, twilioKeyHalf } from "./custom/twilio-basic.js";
import { declarativeVerifier } from "./declarative-verifier.js";
import type { Verifier } from "./verifier.js";

/**
 * Verifiers by rule `verify:` config. Code verifiers carry their provider's base in code, so
 * a rule that names one can only pick which verifier runs, never where it sends the key.
 */

/** Which half of a two-part key a secret is (AWS key id + secret, Twilio SID + secret). */
export type KeyHalf = (secret: string) => "id" | "secret";

interface CustomVerifier {
  /** Built-in base URL; `--endpoint <service>=URL` may override it. */
  readonly base: string;
  readonly create: () => Verifier;
  /** For two-part keys: the other half is looked for among nearby findings. */
  readonly half?: KeyHalf;
}

const CUSTOM: Readonly<Record<string, CustomVerifier>> = {
  "aws-sts": {
    base: "https://sts.amazonaws.com",
    create: () => awsStsVerifier(),
    half: awsKeyHalf,
  },
  "slack-auth-test": { base: "https://slack.com", create: slackAuthTestVerifier },
  "twilio-basic": {
    base: "https://verify.twilio.com",
    create: twilioBasicVerifier,
    half: twilioKeyHalf,
  },
};

export function customVerifierNames(): readonly string[] {
  return Object.keys(CUSTOM);
}

export interface ResolvedVerifier {
  readonly verifier: Verifier;
  readonly service: string;
  /** The base written in the built-in rule or code verifier; undefined for self-hosted services. */
  readonly builtinBase: string | undefined;
  /** Code verifiers of two-part keys: their name and how to tell the halves apart. */
  readonly pair?: { readonly name: string; readonly half: KeyHalf };
}

/** For a two-part key's verify config: its code verifier's name and how to tell the halves. */
export function pairOf(
  config: VerifyConfig | undefined,
): { readonly name: string; readonly half: KeyHalf } | undefined {
  if (!config || !("custom" in config)) return undefined;
  const half = CUSTOM[config.custom]?.half;
  return half ? { name: config.custom, half } : undefined;
}

/** The verifier for a verify config, or undefined for an unknown code verifier name. */
export function resolveVerifier(config: VerifyConfig): ResolvedVerifier | undefined {
  if ("custom" in config) {
    const custom = CUSTOM[config.custom];
    if (!custom) return undefined;
    const pair = pairOf(config);
    return {
      verifier: custom.create(),
      service: config.service,
      builtinBase: custom.base,
      ...(pair ? { pair } : {}),
    };
  }
  return {
    verifier: declarativeVerifier(config),
    service: config.service,
    builtinBase: config.base,
  };
}
