/**
 * Builds the patterns of the rules for keys without a prefix (Mistral, Cohere, Together legacy,
 * DeepInfra, Pinecone legacy, Azure OpenAI): such a key is only known by the provider's name
 * it is assigned to, so every one of these rules spells the same ways of assigning a value to a
 * name (NAME=..., "name": "...", a client's options, a TOML section, a Terraform variable's
 * default, a name/value pair). They are written once here, so a way added is added to all.
 *
 *   node scripts/name-gated-pattern.mjs           print each rule's pattern
 *   node scripts/name-gated-pattern.mjs --check   exit 1 when a rule file holds another one
 *   node scripts/name-gated-pattern.mjs --write   write the patterns into the rule files
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** Key words that, before or after the key word, name something else: cache_key, key_id. */
const NOT_KEY_BEFORE =
  "(?<!(?:cache|hash|sort|partition|primary|foreign|idempotency|dedup|lookup|object)[_.-]?)";
const NOT_KEY_AFTER =
  "(?![\\w.-]{0,12}?(?:id|sha\\d*|hash|digest|checksum|name|file|path|url|type|len(?:gth)?|count|prefix)(?![a-z]))";

/** A key word of a name, not one of the names above. */
const keyWord = (words) => `${NOT_KEY_BEFORE}(?:${words})${NOT_KEY_AFTER}`;

/** The operator between a name and its value: = : := => ?= , || ?? or a blank. */
const OPERATOR = "(?:[:=]{1,3}>?|\\?=|,|>|\\|\\||\\?\\?|[ \\t])";

/** From the end of a name to its value: quotes (escaped in a notebook), the operator, a quote. */
const ASSIGN = `(?:\\\\?["'\\x60\\]]){0,2}[ \\t]{0,3}${OPERATOR}[ \\t]{0,3}\\\\?["'\\x60]?`;

/** The same inside an object or a section, where no escaped quotes are expected. */
const ASSIGN_PLAIN = `["'\\x60\\]]{0,2}[ \\t]{0,3}${OPERATOR}[ \\t]{0,3}["'\\x60]?`;

/** A value given apart from its name: `- name: X` / `value: ...`, `<add key="X" value="..."/>`. */
const VALUE_FIELD =
  "[\"']?[ \\t]{0,4}(?:,|\\r?\\n)?[ \\t]{0,40}-?[ \\t]{0,4}[\"']?value[\"']?[ \\t]{0,4}[:=][ \\t]{0,8}[\"']?";

/** The ways a provider's key is assigned, read after the provider's name. */
const AFTER_PROVIDER = [
  // MISTRAL_API_KEY=..., "mistralApiKey": "...", ENV['MISTRAL_API_KEY'] || '...'
  `[\\w.-]{0,25}?${keyWord("key|token|secret|passw(?:or)?d|auth|cred")}[\\w.-]{0,12}?${ASSIGN}`,
  // variable "mistral_api_key" { ... default = "..." }
  `[\\w.-]{0,25}?${keyWord("key|token|secret")}[\\w.-]{0,12}?"[ \\t]{0,3}\\{[ \\t]{0,40}\\r?\\n(?:[^\\n}]{0,80}\\r?\\n){0,4}?[ \\t]{0,40}default[ \\t]{0,4}=[ \\t]{0,4}"`,
  // - name: MISTRAL_API_KEY / value: ..., <add key="MistralApiKey" value="..." />
  `[\\w.-]{0,25}?${keyWord("key|token|secret")}[\\w.-]{0,12}?${VALUE_FIELD}`,
  // Mistral(api_key="..."), new Mistral({ apiKey: "..." })
  "[\\w.]{0,30}\\(\\s{0,40}(?:\\w{1,30}[ \\t]{0,40}=[ \\t]{0,40}|\\{\\s{0,40}[\"']?\\w{0,20}?(?:key|token)[\"']?[ \\t]{0,4}:[ \\t]{0,40})?\\\\?[\"'\\x60]",
  // mistral: { api_key: ... }, mistral:\n  api_key: ...
  `[\\w.-]{0,20}?["']?[ \\t]{0,40}(?::[ \\t]{0,40}\\{?|\\{)[ \\t]{0,40}\\r?\\n?[ \\t]{0,40}["']?[\\w.-]{0,12}?${keyWord("key|token|secret")}[\\w.-]{0,6}?${ASSIGN_PLAIN}`,
  // [mistral] ... api_key = ...
  `[\\w.-]{0,20}?\\][ \\t]{0,40}\\r?\\n(?:[^\\n\\[]{0,80}\\r?\\n){0,4}?[ \\t]{0,40}[\\w.-]{0,12}?${keyWord("key|token|secret")}[\\w.-]{0,6}?[ \\t]{0,3}=[ \\t]{0,3}["']?`,
];

/**
 * A rule's pattern: the provider's names, then one of the ways above, then the key; `extra`
 * adds other ways to reach the key (a name that does not start with the provider's).
 */
function nameGatedPattern({ names, extra, secret }) {
  const ways = AFTER_PROVIDER.join("|");
  const lead = extra ? `(?:${names}(?:${ways})|${extra})` : `(?:${names})(?:${ways})`;
  return `${lead}(?<secret>${secret})(?![A-Za-z0-9_-])`;
}

/** Rule id -> its file and pattern. */
export const NAME_GATED_RULES = {
  "mistral-api-key": {
    file: "mistral.yaml",
    pattern: nameGatedPattern({ names: "mistral|codestral", secret: "[A-Za-z0-9]{32}" }),
  },
  "cohere-api-key": {
    file: "cohere.yaml",
    pattern: nameGatedPattern({
      names: "cohere",
      extra: `(?<![A-Za-z0-9])co_api_key[\\w.-]{0,12}?(?:${ASSIGN}|${VALUE_FIELD})`,
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
      extra: `api[_-]?key${ASSIGN_PLAIN}(?=[a-f0-9]{32}(?![A-Za-z0-9_-])(?:(?<=openai\\.azure\\.com[\\s\\S]{0,600})|[\\s\\S]{0,600}?openai\\.azure\\.com))`,
      secret: "[a-f0-9]{32}",
    }),
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
