/**
 * Builds the patterns of the rules for keys without a prefix (Mistral, Cohere, Together legacy,
 * DeepInfra, Pinecone legacy, Azure OpenAI, the AWS secret access key, Twilio's secrets, Telegram
 * bot tokens outside BotFather's current shape): such a key is only known by the name it is
 * assigned to, so these rules spell the same ways of
 * assigning a value to a name (NAME=..., "name": "...", ENV['NAME'] ||= ..., ${NAME:-...}, a
 * YAML block scalar, a client's options, a TOML section, a Terraform variable's default, a
 * name/value pair). They are written once here, so a way added is added to all.
 *
 *   node scripts/name-gated-pattern.mjs           print each rule's pattern
 *   node scripts/name-gated-pattern.mjs --check   exit 1 when a rule file holds another one
 *   node scripts/name-gated-pattern.mjs --write   write the patterns into the rule files
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { declaredStringType } from "./generic-pattern.mjs";

/**
 * Key words that, before or after the key word, name something else: cache_key, key_id. What
 * follows the - of a shell default (${MISTRAL_API_KEY-<key>}) is the value, not the name.
 */
const NOT_KEY_BEFORE =
  "(?<!(?:cache|hash|sort|partition|primary|foreign|idempotency|dedup|lookup|object)[_.-]?)";
const NOT_KEY_AFTER =
  "(?!(?:[\\w.]|(?<!\\$\\{\\w{1,80})-){0,12}?(?:id|sha\\d{0,3}|hash|digest|checksum|name|file|path|url|type|len(?:gth)?|count|prefix)(?![a-z]))";

/** A key word of a name, not one of the names above. */
const keyWord = (words) => `${NOT_KEY_BEFORE}(?:${words})${NOT_KEY_AFTER}`;

/**
 * The operator between a name and its value: = : := => ?= , and a blank; a fallback or a
 * default (|| ?? ||= ??= in code, ${NAME:-value} ${NAME-value} ${NAME:+value} in a shell or
 * docker-compose file), R's <- and <<-, and a Markdown table's | between a name's cell and its
 * value's (| MISTRAL_API_KEY | <key> |, as READMEs list environment variables).
 */
const OPERATOR =
  "(?:[:=]{1,3}>?|\\?\\??=|\\|{1,2}=?|\\?\\?|<<?-|(?<=\\$\\{[\\w.]{1,80}):?[-+]|,|>|[ \\t])";

/** A value's opening quote, escaped in a notebook, after C#'s @ or a Python or Rust prefix. */
const OPEN_QUOTE = "(?:(?:@|[rbfu]{1,2})(?=\\\\?[\"'\\x60]))?\\\\?[\"'\\x60]";

/** A YAML block scalar (`name: |` or `name: >-`): the value is the next, indented line. */
const BLOCK_SCALAR = "[\"']?[ \\t]{0,3}:[ \\t]{1,3}[|>][-+1-9]{0,2}[ \\t]{0,40}\\r?\\n[ \\t]{1,40}";

/** A declared string type between a name and its `=` (see generic-pattern.mjs). */
const STRING_TYPE = declaredStringType("[ \\t]{0,3}", "[ \\t]{1,3}");

/**
 * From the end of a name to its value: quotes (escaped in a notebook), a declared string type,
 * the operator, a quote.
 */
const ASSIGN = `(?:(?:\\\\?["'\\x60\\]]){0,2}${STRING_TYPE}[ \\t]{0,3}${OPERATOR}[ \\t]{0,3}${OPEN_QUOTE}?|${BLOCK_SCALAR})`;

/** A Terraform variable's default, from the quote closing its name: `" {` ... `default = "`. */
const VARIABLE_DEFAULT =
  '"[ \\t]{0,3}\\{[ \\t]{0,40}\\r?\\n(?:[^\\n}]{0,80}\\r?\\n){0,4}?[ \\t]{0,40}default[ \\t]{0,4}=[ \\t]{0,4}"';

/** A value given apart from its name: `- name: X` / `value: ...`, `<add key="X" value="..."/>`. */
const VALUE_FIELD =
  "[\"']?[ \\t]{0,4}(?:,|\\r?\\n)?[ \\t]{0,40}-?[ \\t]{0,4}[\"']?value[\"']?[ \\t]{0,4}[:=][ \\t]{0,8}[\"']?";

/** The ways a provider's key is assigned, read after the provider's name. */
const AFTER_PROVIDER = [
  // MISTRAL_API_KEY=..., "mistralApiKey": "...", ENV['MISTRAL_API_KEY'] || '...'
  `[\\w.-]{0,25}?${keyWord("key|token|secret|passw(?:or)?d|auth|cred")}[\\w.-]{0,12}?${ASSIGN}`,
  // variable "mistral_api_key" { ... default = "..." }
  `[\\w.-]{0,25}?${keyWord("key|token|secret")}[\\w.-]{0,12}?${VARIABLE_DEFAULT}`,
  // - name: MISTRAL_API_KEY / value: ..., <add key="MistralApiKey" value="..." />
  `[\\w.-]{0,25}?${keyWord("key|token|secret")}[\\w.-]{0,12}?${VALUE_FIELD}`,
  // Mistral(api_key="..."), new Mistral({ apiKey: "..." })
  `[\\w.]{0,30}\\(\\s{0,40}(?:\\w{1,30}[ \\t]{0,40}=[ \\t]{0,40}|\\{\\s{0,40}["']?\\w{0,20}?(?:key|token)["']?[ \\t]{0,4}:[ \\t]{0,40})?${OPEN_QUOTE}`,
  // ChatMistralAI(model="mistral-large", api_key="..."), new Mistral({ server: x, apiKey: "..." }):
  // the key named after other arguments of the same call
  `[\\w.]{0,30}\\(\\s{0,40}\\{?[^()\\n;]{0,200}?,\\s{0,40}["']?\\w{0,20}?${keyWord("key|token")}\\w{0,10}?["']?[ \\t]{0,4}[:=][ \\t]{0,40}${OPEN_QUOTE}`,
  // mistral: { api_key: ... }, mistral:\n  api_key: ...
  `[\\w.-]{0,20}?["']?[ \\t]{0,40}(?::[ \\t]{0,40}\\{?|\\{)[ \\t]{0,40}\\r?\\n?[ \\t]{0,40}["']?[\\w.-]{0,12}?${keyWord("key|token|secret")}[\\w.-]{0,6}?${ASSIGN}`,
  // [mistral] ... api_key = ...
  `[\\w.-]{0,20}?\\][ \\t]{0,40}\\r?\\n(?:[^\\n\\[]{0,80}\\r?\\n){0,4}?[ \\t]{0,40}[\\w.-]{0,12}?${keyWord("key|token|secret")}[\\w.-]{0,6}?[ \\t]{0,3}=[ \\t]{0,3}["']?`,
];

/**
 * A rule's pattern: the provider's names, then one of the ways above, then the key; `extra`
 * adds other ways to reach the key (a name that does not start with the provider's).
 */
function nameGatedPattern({ names, extra = [], secret }) {
  const ways = AFTER_PROVIDER.join("|");
  const lead = [`(?:${names})(?:${ways})`, ...extra].join("|");
  return `(?:${lead})(?<secret>${secret})(?![A-Za-z0-9_-])`;
}

/**
 * A key given as an API key or a bearer token (a curl header, an OpenAI client's api_key) with
 * the provider's API host within a few lines, whatever the name: the provider's own examples.
 */
function nearHost(host, secret) {
  return `(?<![A-Za-z0-9_])(?:api[_-]?key|apikey|token|bearer|authorization)["']?[ \\t]{0,4}(?:[:=]|\\s)[ \\t]{0,4}(?:bearer[ \\t]{1,4})?["']?(?=${secret}(?![A-Za-z0-9_-])(?:(?<=${host}[\\s\\S]{0,240})|[\\s\\S]{0,240}?${host}))`;
}

/**
 * The AWS secret access key: 40 base64 characters assigned to a secret-key name
 * (aws_secret_access_key, AWSSecretKey, SecretAccessKey, secret_key; not secret_key_id or
 * secret_key_hash), or to a name that is just `secret` when an access key id stands near it (a
 * PHP SDK array's 'secret' => '...').
 */
function awsSecretPattern() {
  const id = "(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}";
  const secret = "[A-Za-z0-9/+]{40}";
  const end = "(?![A-Za-z0-9/+=_-])";
  const named = `(?:aws[\\w.-]{0,20}?secret${NOT_KEY_AFTER}[\\w.-]{0,20}?|secret[_.-]?(?:access[_.-]?)?key${NOT_KEY_AFTER}[\\w.-]{0,10}?)(?:${ASSIGN}|${VALUE_FIELD}|${VARIABLE_DEFAULT})`;
  // Within four lines, as the rule's `requires` counts them: a bound in lines keeps the read
  // around a change (change-context.ts) to lines, not to hundreds of short ones.
  const near = "(?:[^\\n]{0,400}\\n){0,4}[^\\n]{0,400}";
  const nearId = `(?<![\\w.-])secret${ASSIGN}(?=${secret}${end}(?:(?<=${id}${near})|${near}${id}))`;
  return `(?:${named}|${nearId})(?<secret>${secret})${end}`;
}

/**
 * A Telegram bot token in a bot-token context (an api.telegram.org/bot URL, a TELEGRAM_* /
 * BOT_TOKEN / TG_* name, a bot library's constructor), or anywhere in the shape BotFather issues
 * today (8-10 digits, a colon, AA and 33 more).
 */
function telegramPattern() {
  const token = "[0-9]{5,16}:A[A-Za-z0-9_-]{34}";
  const context = [
    "api\\.telegram\\.org/(?:file/)?bot",
    `(?:telegram|tg|bot)[\\w.-]{0,25}?(?:key|token|secret|auth|cred)[\\w.-]{0,12}?(?:${ASSIGN}|${VALUE_FIELD})`,
    `(?:telegram|telebot|bot|updater)[\\w.]{0,30}\\([ \\t]{0,40}(?:\\w{1,30}[ \\t]{0,40}=[ \\t]{0,40})?${OPEN_QUOTE}`,
    `\\.token\\([ \\t]{0,40}${OPEN_QUOTE}`,
  ].join("|");
  const todays =
    "(?:(?<![A-Za-z0-9_:./-])|(?<=\\$\\{[A-Za-z_][A-Za-z0-9_]{0,63}:?[-=+]))[0-9]{8,10}:AA[A-Za-z0-9_-]{33}";
  return `(?<![0-9])(?<secret>${token})(?![A-Za-z0-9_-])(?:(?<=(?:${context})${token})|(?<=${todays}))`;
}

/** Rule id -> its file and pattern. */
export const NAME_GATED_RULES = {
  "mistral-api-key": {
    file: "mistral.yaml",
    pattern: nameGatedPattern({
      names: "mistral|codestral",
      extra: [nearHost("(?:api|codestral)\\.mistral\\.ai", "[A-Za-z0-9]{32}")],
      secret: "[A-Za-z0-9]{32}",
    }),
  },
  "cohere-api-key": {
    file: "cohere.yaml",
    pattern: nameGatedPattern({
      names: "cohere",
      extra: [
        `(?<![A-Za-z0-9])co_api_key[\\w.-]{0,12}?(?:${ASSIGN}|${VALUE_FIELD})`,
        nearHost("api\\.cohere\\.(?:com|ai)", "[A-Za-z0-9]{40}"),
      ],
      secret: "[A-Za-z0-9]{40}",
    }),
  },
  "together-legacy-api-key": {
    file: "together.yaml",
    pattern: nameGatedPattern({ names: "together", secret: "[a-f0-9]{64}" }),
  },
  "deepinfra-api-key": {
    file: "deepinfra.yaml",
    pattern: nameGatedPattern({ names: "deepinfra", secret: "[A-Za-z0-9]{32}" }),
  },
  "pinecone-legacy-api-key": {
    file: "pinecone.yaml",
    pattern: nameGatedPattern({
      names: "pinecone",
      secret: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    }),
  },
  "azure-openai-api-key": {
    file: "azure-openai.yaml",
    pattern: nameGatedPattern({
      names: "azure",
      // A bare api_key whose value an Azure OpenAI endpoint stands near.
      extra: [
        `api[_-]?key${ASSIGN}(?=[a-f0-9]{32}(?![A-Za-z0-9_-])(?:(?<=openai\\.azure\\.com[\\s\\S]{0,600})|[\\s\\S]{0,600}?openai\\.azure\\.com))`,
      ],
      secret: "[a-f0-9]{32}",
    }),
  },
  "aws-secret-access-key": {
    file: "aws.yaml",
    pattern: awsSecretPattern(),
  },
  "telegram-bot-token": {
    file: "telegram.yaml",
    pattern: telegramPattern(),
  },
  "twilio-api-key-secret": {
    file: "twilio.yaml",
    pattern: `twilio[\\w.-]{0,20}?(?:api[_.-]?)?secret[\\w.-]{0,8}?(?:${ASSIGN}|${VALUE_FIELD})(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_-])`,
  },
  "twilio-auth-token": {
    file: "twilio.yaml",
    pattern: `twilio[\\w.-]{0,20}?(?:auth[_.-]?token|token)[\\w.-]{0,8}?(?:${ASSIGN}|${VALUE_FIELD})(?<secret>[a-f0-9]{32})(?![A-Za-z0-9_-])`,
  },
};

const rulesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "rules");

/** The rule file's text with the rule's pattern line replaced. */
function withPattern(text, id, pattern) {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.trim() === `- id: ${id}`);
  const at = lines.findIndex((line, index) => index > start && /^ {4}pattern: /.test(line));
  if (start < 0 || at < 0) throw new Error(`rules: no pattern line for ${id}`);
  lines[at] = `    pattern: '${pattern.replaceAll("'", "''")}'`;
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const write = process.argv.includes("--write");
  let stale = 0;
  for (const [id, { file, pattern }] of Object.entries(NAME_GATED_RULES)) {
    const path = join(rulesDir, file);
    const text = readFileSync(path, "utf8");
    const rule = parse(text).rules.find((r) => r.id === id);
    if (write) {
      if (rule?.pattern !== pattern) writeFileSync(path, withPattern(text, id, pattern));
    } else if (check) {
      if (rule?.pattern !== pattern) {
        process.stderr.write(
          `rules/${file}: ${id} pattern differs from scripts/name-gated-pattern.mjs\n`,
        );
        stale++;
      }
    } else {
      process.stdout.write(`${id}: ${pattern}\n`);
    }
  }
  if (stale > 0) process.exit(1);
}
