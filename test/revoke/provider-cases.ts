import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { CompiledRule } from "../../src/config/compile-rules.js";
import { expandTemplate } from "../../src/config/example-template.js";
import type { LoggedRequest, StandInScript } from "../helpers/stand-in-server.js";
import { buildRevokeRule } from "./revoke-fixtures.js";

/**
 * One stand-in provider per revoker: it knows which keys are alive, answers the verification
 * probe accordingly, and kills a key when the revocation call arrives the way the provider
 * documents it. Each case says what that destructive call must look like.
 */

export interface Keys {
  readonly secret: string;
  readonly companion?: string;
}

export interface ProviderCase {
  readonly name: string;
  readonly rule: CompiledRule;
  /** Services to point at the stand-in (`--endpoint NAME=URL`). */
  readonly services: readonly string[];
  readonly keys: () => Keys;
  readonly env?: (keys: Keys) => Record<string, string>;
  /** Routes of the stand-in; `alive` holds the keys (secret) still working. */
  readonly routes: (keys: Keys, alive: Set<string>) => Record<string, StandInScript>;
  /** True for the request that disables the key. */
  readonly isDestructive: (request: LoggedRequest) => boolean;
  /** Checks method, path, headers and body of the destructive request. */
  readonly expectCall: (request: LoggedRequest, keys: Keys, env: Record<string, string>) => void;
}

const bearer = (request: LoggedRequest): string =>
  (request.headers.authorization ?? "").replace(/^Bearer /, "");
const json = (request: LoggedRequest): unknown => JSON.parse(request.body || "null");
const gone = { status: 401, body: { error: "invalid api key" } };
const alnum = (n: number) => expandTemplate(`{{alnum:${n}}}`);
const hex = (n: number) => expandTemplate(`{{hex:${n}}}`);
const b64url = (n: number) => expandTemplate(`{{b64url:${n}}}`);
/** A token that is plainly not a provider key (admin credentials of the person running it). */
const adminToken = () => `admin-${alnum(20)}`;

function awsCredentialOf(request: LoggedRequest): string | undefined {
  return /Credential=([A-Z0-9]+)\//.exec(request.headers.authorization ?? "")?.[1];
}

function xml(action: string, inner: string): string {
  return `<${action}Response><${action}Result>${inner}</${action}Result></${action}Response>`;
}

export const PROVIDER_CASES: readonly ProviderCase[] = [
  {
    name: "slack-auth-revoke",
    rule: buildRevokeRule({
      id: "slack-bot-token",
      verify: { custom: "slack-auth-test", service: "slack" },
      revoke: {
        mechanism: "self",
        revoker: "slack-auth-revoke",
        dashboard: "https://api.slack.com/apps",
      },
    }),
    services: ["slack"],
    keys: () => ({ secret: `xoxb-${expandTemplate("{{digits:11}}-{{digits:12}}")}-${alnum(24)}` }),
    routes: (_keys, alive) => ({
      "POST /api/auth.test": (r) => ({
        body: alive.has(bearer(r))
          ? { ok: true, team: "T" }
          : { ok: false, error: "token_revoked" },
      }),
      "POST /api/auth.revoke": (r) => {
        const ok = alive.delete(bearer(r));
        return { body: ok ? { ok: true, revoked: true } : { ok: false, error: "invalid_auth" } };
      },
    }),
    isDestructive: (r) => r.path === "/api/auth.revoke",
    expectCall: (r, keys) => {
      expect(r.method).toBe("POST");
      expect(r.headers.authorization).toBe(`Bearer ${keys.secret}`);
    },
  },
  {
    name: "gitlab-self",
    rule: buildRevokeRule({
      id: "gitlab-pat",
      verify: {
        service: "gitlab",
        base: "https://gitlab.com",
        path: "/api/v4/personal_access_tokens/self",
        headers: { "PRIVATE-TOKEN": "{{secret}}" },
      },
      revoke: {
        mechanism: "self",
        revoker: "gitlab-self",
        dashboard: "https://gitlab.com/-/user_settings/personal_access_tokens",
      },
    }),
    services: ["gitlab"],
    keys: () => ({ secret: `glpat-${alnum(20)}` }),
    routes: (_keys, alive) => ({
      "GET /api/v4/personal_access_tokens/self": (r) =>
        alive.has(r.headers["private-token"] ?? "") ? { body: { id: 7, active: true } } : gone,
      "DELETE /api/v4/personal_access_tokens/self": (r) =>
        alive.delete(r.headers["private-token"] ?? "") ? { status: 204 } : gone,
    }),
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, keys) => {
      expect(r.path).toBe("/api/v4/personal_access_tokens/self");
      expect(r.headers["private-token"]).toBe(keys.secret);
    },
  },
  {
    name: "perplexity-self",
    rule: buildRevokeRule({
      id: "perplexity-api-key",
      verify: {
        service: "perplexity",
        base: "https://api.perplexity.ai",
        path: "/models",
        headers: { Authorization: "Bearer {{secret}}" },
      },
      revoke: {
        mechanism: "self",
        revoker: "perplexity-self",
        dashboard: "https://www.perplexity.ai/settings/api",
      },
    }),
    services: ["perplexity"],
    keys: () => ({ secret: `pplx-${alnum(48)}` }),
    routes: (_keys, alive) => ({
      "GET /models": (r) => (alive.has(bearer(r)) ? { body: { data: [] } } : gone),
      "POST /revoke_auth_token": (r) => (alive.delete(bearer(r)) ? { body: {} } : gone),
    }),
    isDestructive: (r) => r.path === "/revoke_auth_token",
    expectCall: (r, keys) => {
      expect(r.method).toBe("POST");
      expect(r.headers.authorization).toBe(`Bearer ${keys.secret}`);
      expect(r.headers["content-type"]).toContain("application/json");
      expect(json(r)).toEqual({ auth_token: keys.secret });
    },
  },
  {
    name: "langsmith-pat",
    rule: buildRevokeRule({
      id: "langsmith-personal-access-token",
      verify: {
        service: "langsmith",
        base: "https://api.smith.langchain.com",
        path: "/api/v1/api-key/current",
        headers: { "X-API-Key": "{{secret}}" },
      },
      revoke: {
        mechanism: "self",
        revoker: "langsmith-pat",
        dashboard: "https://smith.langchain.com/settings",
      },
    }),
    services: ["langsmith"],
    keys: () => ({ secret: `lsv2_pt_${hex(32)}_${hex(10)}` }),
    routes: (keys, alive) => ({
      "GET /api/v1/api-key/current": (r) =>
        alive.has(r.headers["x-api-key"] ?? "") ? { body: { id: "pat-1" } } : gone,
      "GET /api/v1/orgs/current/personal-access-tokens": (r) =>
        alive.has(r.headers["x-api-key"] ?? "")
          ? {
              body: [
                { id: "pat-0", short_key: `lsv2_pt_${hex(4)}...${hex(4)}` },
                {
                  id: "pat-1",
                  short_key: `${keys.secret.slice(0, 12)}...${keys.secret.slice(-4)}`,
                },
              ],
            }
          : gone,
      "POST /api/v1/orgs/current/personal-access-tokens/pat-1/revocation": (r) =>
        alive.delete(r.headers["x-api-key"] ?? "")
          ? { body: { id: "pat-1", revoked: true } }
          : gone,
    }),
    isDestructive: (r) => r.path.endsWith("/revocation"),
    expectCall: (r, keys) => {
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/api/v1/orgs/current/personal-access-tokens/pat-1/revocation");
      expect(r.headers["x-api-key"]).toBe(keys.secret);
    },
  },
  {
    name: "llmos-token",
    rule: buildRevokeRule({
      id: "llmos-api-key",
      verify: {
        service: "llmos",
        path: "/v1/management.llmos.ai.tokens",
        headers: { Authorization: "Bearer {{secret}}" },
      },
      revoke: {
        mechanism: "self",
        revoker: "llmos-token",
        steps: "Delete the key on the Account & API Keys page.",
      },
    }),
    services: ["llmos"],
    keys: () => {
      const set = "bcdfghjklmnpqrstvwxz2456789";
      return {
        secret: `llmos-${expandTemplate(`{{chars:${set}:5}}`)}:${expandTemplate(`{{chars:${set}:54}}`)}`,
      };
    },
    routes: (keys, alive) => ({
      "GET /v1/management.llmos.ai.tokens": (r) =>
        alive.has(bearer(r)) ? { body: { data: [] } } : gone,
      [`DELETE /v1/management.llmos.ai.tokens/${keys.secret.split(":")[0]}`]: (r) =>
        alive.delete(bearer(r)) ? { status: 200, body: {} } : gone,
    }),
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, keys) => {
      expect(r.path).toBe(`/v1/management.llmos.ai.tokens/${keys.secret.split(":")[0]}`);
      expect(r.headers.authorization).toBe(`Bearer ${keys.secret}`);
    },
  },
  {
    name: "layer-keys",
    rule: buildRevokeRule({
      id: "layer-api-key",
      verify: {
        service: "layer",
        base: "https://api.uselayer.ai",
        path: "/v1/keys",
        headers: { Authorization: "Bearer {{secret}}" },
      },
      revoke: {
        mechanism: "self",
        revoker: "layer-keys",
        dashboard: "https://docs.uselayer.ai/platform/api-keys",
      },
    }),
    services: ["layer"],
    keys: () => ({ secret: `layer_${hex(64)}` }),
    routes: (keys, alive) => ({
      "GET /v1/keys": (r) =>
        alive.has(bearer(r))
          ? {
              body: {
                // An organisation's list runs past 64 KB: the leaked key comes last.
                keys: [
                  ...Array.from({ length: 1500 }, (_, index) => ({
                    id: `key_other_${index}`,
                    keyPrefix: `layer_${hex(6)}`,
                  })),
                  { id: "key_1", keyPrefix: keys.secret.slice(0, 12) },
                ],
              },
            }
          : gone,
      "DELETE /v1/keys/key_1": (r) => (alive.delete(bearer(r)) ? { status: 204 } : gone),
    }),
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, keys) => {
      expect(r.path).toBe("/v1/keys/key_1");
      expect(r.headers.authorization).toBe(`Bearer ${keys.secret}`);
    },
  },
  {
    name: "github-credentials-revoke",
    rule: buildRevokeRule({
      id: "github-pat",
      verify: {
        service: "github",
        base: "https://api.github.com",
        path: "/user",
        headers: { Authorization: "token {{secret}}" },
      },
      revoke: {
        mechanism: "github",
        revoker: "github-credentials-revoke",
        dashboard: "https://github.com/settings/tokens",
      },
    }),
    services: ["github"],
    keys: () => ({ secret: `ghp_${alnum(36)}` }),
    routes: (_keys, alive) => ({
      "GET /user": (r) =>
        alive.has((r.headers.authorization ?? "").replace(/^(?:token|bearer) /i, ""))
          ? { body: { login: "octo" } }
          : gone,
      "POST /credentials/revoke": (r) => {
        if (r.headers.authorization)
          return { status: 403, body: { message: "must not be authenticated" } };
        for (const credential of (json(r) as { credentials: string[] }).credentials)
          alive.delete(credential);
        return { status: 202, body: {} };
      },
    }),
    isDestructive: (r) => r.path === "/credentials/revoke",
    expectCall: (r, keys) => {
      expect(r.method).toBe("POST");
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers["user-agent"]).toContain("octokit");
      expect(json(r)).toEqual({ credentials: [keys.secret] });
    },
  },
  {
    name: "github-installation-token",
    rule: buildRevokeRule({
      id: "github-installation-token",
      verify: {
        service: "github",
        base: "https://api.github.com",
        path: "/installation/repositories",
        headers: { Authorization: "token {{secret}}" },
      },
      revoke: {
        mechanism: "self",
        revoker: "github-installation-token",
        dashboard: "https://github.com/settings/installations",
      },
    }),
    services: ["github"],
    keys: () => ({ secret: `ghs_${alnum(36)}` }),
    routes: (_keys, alive) => {
      const token = (r: LoggedRequest) =>
        (r.headers.authorization ?? "").replace(/^(?:token|bearer) /i, "");
      return {
        "GET /installation/repositories": (r) =>
          alive.has(token(r)) ? { body: { repositories: [] } } : gone,
        "DELETE /installation/token": (r) => (alive.delete(token(r)) ? { status: 204 } : gone),
      };
    },
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, keys) => {
      expect(r.path).toBe("/installation/token");
      expect(r.headers.authorization).toMatch(new RegExp(`^(?:token|bearer) ${keys.secret}$`, "i"));
    },
  },
  {
    name: "openai-admin",
    rule: buildRevokeRule({
      id: "openai-project-key",
      verify: {
        service: "openai",
        base: "https://api.openai.com",
        path: "/v1/models",
        headers: { Authorization: "Bearer {{secret}}" },
      },
      revoke: {
        mechanism: "admin",
        revoker: "openai-admin",
        credentialEnv: "OPENAI_ADMIN_KEY",
        dashboard: "https://platform.openai.com/api-keys",
      },
    }),
    services: ["openai"],
    keys: () => ({ secret: `sk-proj-${b64url(74)}T3BlbkFJ${b64url(74)}` }),
    env: () => ({ OPENAI_ADMIN_KEY: adminToken() }),
    routes: (keys, alive) => ({
      "GET /v1/models": (r) =>
        alive.has(bearer(r)) ? { body: { object: "list", data: [] } } : gone,
      "GET /v1/organization/projects": {
        body: { object: "list", data: [{ id: "proj_a" }, { id: "proj_b" }], has_more: false },
      },
      "GET /v1/organization/projects/proj_a/api_keys": {
        body: {
          data: [{ id: "key_x", redacted_value: `sk-proj-${b64url(2)}...${b64url(4)}` }],
          has_more: false,
        },
      },
      "GET /v1/organization/projects/proj_b/api_keys": {
        body: {
          data: [
            {
              id: "key_leak",
              redacted_value: `${keys.secret.slice(0, 10)}...${keys.secret.slice(-4)}`,
            },
          ],
          has_more: false,
        },
      },
      "DELETE /v1/organization/projects/proj_b/api_keys/key_leak": () => {
        alive.delete(keys.secret);
        return {
          body: { object: "organization.project.api_key.deleted", id: "key_leak", deleted: true },
        };
      },
    }),
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, _keys, env) => {
      expect(r.path).toBe("/v1/organization/projects/proj_b/api_keys/key_leak");
      expect(r.headers.authorization).toBe(`Bearer ${env.OPENAI_ADMIN_KEY}`);
    },
  },
  {
    name: "anthropic-admin",
    rule: buildRevokeRule({
      id: "anthropic-api-key",
      verify: {
        service: "anthropic",
        base: "https://api.anthropic.com",
        path: "/v1/models",
        headers: { "x-api-key": "{{secret}}", "anthropic-version": "2023-06-01" },
      },
      revoke: {
        mechanism: "admin",
        revoker: "anthropic-admin",
        credentialEnv: "ANTHROPIC_ADMIN_API_KEY",
        dashboard: "https://console.anthropic.com/settings/keys",
      },
    }),
    services: ["anthropic"],
    keys: () => ({ secret: `sk-ant-api03-${b64url(93)}AA` }),
    env: () => ({ ANTHROPIC_ADMIN_API_KEY: adminToken() }),
    routes: (keys, alive) => ({
      "GET /v1/models": (r) =>
        alive.has(r.headers["x-api-key"] ?? "") ? { body: { data: [] } } : gone,
      "GET /v1/organizations/api_keys": {
        body: {
          data: [
            {
              id: "apikey_other",
              partial_key_hint: `sk-ant-api03-${b64url(3)}...${b64url(2)}AA`,
              status: "active",
            },
            {
              id: "apikey_leak",
              partial_key_hint: `${keys.secret.slice(0, 16)}...${keys.secret.slice(-4)}`,
              status: "active",
            },
          ],
          has_more: false,
        },
      },
      "POST /v1/organizations/api_keys/apikey_leak": () => {
        alive.delete(keys.secret);
        return { body: { id: "apikey_leak", status: "inactive" } };
      },
    }),
    isDestructive: (r) => r.method === "POST",
    expectCall: (r, _keys, env) => {
      expect(r.path).toBe("/v1/organizations/api_keys/apikey_leak");
      expect(r.headers["x-api-key"]).toBe(env.ANTHROPIC_ADMIN_API_KEY);
      expect(r.headers["anthropic-version"]).toBe("2023-06-01");
      expect(json(r)).toEqual({ status: "inactive" });
    },
  },
  {
    name: "openrouter-management",
    rule: buildRevokeRule({
      id: "openrouter-api-key",
      verify: {
        service: "openrouter",
        base: "https://openrouter.ai",
        path: "/api/v1/key",
        headers: { Authorization: "Bearer {{secret}}" },
      },
      revoke: {
        mechanism: "admin",
        revoker: "openrouter-management",
        credentialEnv: "OPENROUTER_MANAGEMENT_KEY",
        dashboard: "https://openrouter.ai/settings/keys",
      },
    }),
    services: ["openrouter"],
    keys: () => ({ secret: `sk-or-v1-${hex(64)}` }),
    env: () => ({ OPENROUTER_MANAGEMENT_KEY: adminToken() }),
    routes: (keys, alive) => {
      const hash = createHash("sha256").update(keys.secret).digest("hex");
      return {
        "GET /api/v1/key": (r) =>
          alive.has(bearer(r)) ? { body: { data: { label: "prod" } } } : gone,
        "GET /api/v1/keys": {
          body: {
            data: [
              { hash: hex(64), label: "ci" },
              { hash, label: "prod" },
            ],
          },
        },
        [`DELETE /api/v1/keys/${hash}`]: () => {
          alive.delete(keys.secret);
          return { body: { deleted: true } };
        },
      };
    },
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, keys, env) => {
      expect(r.path).toBe(`/api/v1/keys/${createHash("sha256").update(keys.secret).digest("hex")}`);
      expect(r.headers.authorization).toBe(`Bearer ${env.OPENROUTER_MANAGEMENT_KEY}`);
    },
  },
  {
    name: "sendgrid-api-keys",
    rule: buildRevokeRule({
      id: "sendgrid-api-key",
      verify: {
        service: "sendgrid",
        base: "https://api.sendgrid.com",
        path: "/v3/scopes",
        headers: { Authorization: "Bearer {{secret}}" },
      },
      revoke: {
        mechanism: "admin",
        revoker: "sendgrid-api-keys",
        credentialEnv: "SENDGRID_ADMIN_API_KEY",
        dashboard: "https://app.sendgrid.com/settings/api_keys",
      },
    }),
    services: ["sendgrid"],
    keys: () => ({ secret: `SG.${b64url(22)}.${b64url(43)}` }),
    env: () => ({ SENDGRID_ADMIN_API_KEY: adminToken() }),
    routes: (keys, alive) => ({
      "GET /v3/scopes": (r) => (alive.has(bearer(r)) ? { body: { scopes: [] } } : gone),
      [`DELETE /v3/api_keys/${keys.secret.split(".")[1]}`]: () => {
        alive.delete(keys.secret);
        return { status: 204 };
      },
    }),
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, keys, env) => {
      expect(r.path).toBe(`/v3/api_keys/${keys.secret.split(".")[1]}`);
      expect(r.headers.authorization).toBe(`Bearer ${env.SENDGRID_ADMIN_API_KEY}`);
    },
  },
  {
    name: "twilio-keys",
    rule: buildRevokeRule({
      id: "twilio-api-key",
      verify: { custom: "twilio-basic", service: "twilio" },
      revoke: {
        mechanism: "admin",
        revoker: "twilio-keys",
        credentialEnv: "TWILIO_AUTH_TOKEN",
        dashboard: "https://console.twilio.com/us1/account/keys-credentials/api-keys",
      },
    }),
    services: ["twilio"],
    keys: () => ({ secret: `SK${hex(32)}`, companion: alnum(32) }),
    env: () => ({ TWILIO_ACCOUNT_SID: `AC${hex(32)}`, TWILIO_AUTH_TOKEN: adminToken() }),
    routes: (keys, alive) => ({
      "GET /v2/Services": (r) => {
        const [user] = Buffer.from((r.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
          .toString()
          .split(":");
        return alive.has(user ?? "") ? { body: { services: [] } } : gone;
      },
      "DELETE /2010-04-01/Accounts/*": (r) => {
        alive.delete(keys.secret);
        return r.path.endsWith(`/Keys/${keys.secret}.json`) ? { status: 204 } : { status: 404 };
      },
    }),
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r, keys, env) => {
      expect(r.path).toBe(
        `/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Keys/${keys.secret}.json`,
      );
      const basic = Buffer.from(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`).toString(
        "base64",
      );
      expect(r.headers.authorization).toBe(`Basic ${basic}`);
    },
  },
  {
    name: "pinecone-admin",
    rule: buildRevokeRule({
      id: "pinecone-api-key",
      verify: {
        service: "pinecone",
        base: "https://api.pinecone.io",
        path: "/indexes",
        headers: { "Api-Key": "{{secret}}" },
      },
      revoke: {
        mechanism: "admin",
        revoker: "pinecone-admin",
        credentialEnv: "PINECONE_CLIENT_SECRET",
        dashboard: "https://app.pinecone.io/",
      },
    }),
    services: ["pinecone", "pinecone-login"],
    keys: () => ({ secret: `pcsk_${alnum(5)}_${alnum(63)}` }),
    env: () => ({ PINECONE_CLIENT_ID: `client-${alnum(8)}`, PINECONE_CLIENT_SECRET: adminToken() }),
    routes: (keys, alive) => {
      const label = keys.secret.split("_")[1]!;
      return {
        "GET /indexes": (r) =>
          alive.has(r.headers["api-key"] ?? "") ? { body: { indexes: [] } } : gone,
        "POST /oauth/token": { body: { access_token: "sa-token", token_type: "Bearer" } },
        "GET /admin/projects": { body: { data: [{ id: "proj-1" }] } },
        "GET /admin/projects/proj-1/api-keys": {
          body: {
            data: [
              { id: "k-ci", name: "ci" },
              { id: "k-leak", name: `laptop ${label}` },
            ],
          },
        },
        "DELETE /admin/api-keys/k-leak": () => {
          alive.delete(keys.secret);
          return { status: 202 };
        },
      };
    },
    isDestructive: (r) => r.method === "DELETE",
    expectCall: (r) => {
      expect(r.path).toBe("/admin/api-keys/k-leak");
      expect(r.headers.authorization).toBe("Bearer sa-token");
      expect(r.headers["x-pinecone-api-version"]).toBeDefined();
    },
  },
  {
    name: "aws-iam",
    rule: buildRevokeRule({
      id: "aws-access-key",
      verify: { custom: "aws-sts", service: "aws" },
      revoke: {
        mechanism: "self",
        revoker: "aws-iam",
        dashboard: "https://console.aws.amazon.com/iam/home#/security_credentials",
      },
    }),
    services: ["aws"],
    keys: () => ({
      secret: `AKIA${expandTemplate("{{base32:16}}")}`,
      companion: expandTemplate("{{b64:40}}"),
    }),
    routes: (keys, alive) => ({
      "POST /": (r) => {
        const params = new URLSearchParams(r.body);
        const signer = awsCredentialOf(r) ?? "";
        if (!alive.has(signer)) {
          return {
            status: 403,
            body: "<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>",
          };
        }
        if (params.get("Action") === "GetCallerIdentity") {
          return { body: xml("GetCallerIdentity", "<Arn>arn:aws:iam::123456789012:user/ci</Arn>") };
        }
        if (
          params.get("Action") === "UpdateAccessKey" &&
          params.get("AccessKeyId") === keys.secret
        ) {
          alive.delete(keys.secret);
          return { body: xml("UpdateAccessKey", "") };
        }
        return { status: 400 };
      },
    }),
    isDestructive: (r) => new URLSearchParams(r.body).get("Action") === "UpdateAccessKey",
    expectCall: (r, keys) => {
      const params = new URLSearchParams(r.body);
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/");
      expect(params.get("AccessKeyId")).toBe(keys.secret);
      expect(params.get("Status")).toBe("Inactive");
      expect(params.get("Version")).toBe("2010-05-08");
      expect(params.has("UserName")).toBe(false);
      expect(r.headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${keys.secret}/\\d{8}/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`,
        ),
      );
    },
  },
];
