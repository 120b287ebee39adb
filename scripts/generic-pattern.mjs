/**
 * Builds the pattern of the generic-secret rule (rules/generic.yaml) from word lists, because
 * the regex spells out letter case by hand (no `i` flag): camelCase and SCREAMING_CASE
 * boundaries are what tell `passwordHash` (not a secret name) from `dbPassword` (one).
 *
 *   node scripts/generic-pattern.mjs           print the pattern (regex source)
 *   node scripts/generic-pattern.mjs --check   exit 1 when rules/generic.yaml holds another one
 *
 * Edit the word lists here, then paste the printed pattern into rules/generic.yaml (inside the
 * single-quoted YAML string, write each ' as '').
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Words that precede a key suffix: api_key, clientSecretKey, ACCESS_KEY... */
const KEY_PREFIXES = [
  "api",
  "access",
  "secret",
  "private",
  "signing",
  "encryption",
  "master",
  "app",
  "client",
  "account",
  "admin",
  "service",
  "license",
  "licence",
  "consumer",
  "subscription",
  "session",
  "auth",
];

/** Token names that are not credentials: idempotency and request tokens, push-device tokens. */
const TOKEN_NEG_WORDS = [
  "client",
  "request",
  "idempotency",
  "idempotence",
  "action",
  "pagination",
  "notification",
  "push",
  "fcm",
  "apns",
  "device",
];

/** Words before the keyword that make the name a non-secret (CSRF tokens, UI state, hashes). */
const NEG_PREFIX = [
  "csrf",
  "xsrf",
  "public",
  "next",
  "page",
  "cursor",
  "continuation",
  "sync",
  "cancel",
  "cancellation",
  "forgot",
  "reset",
  "confirm",
  "confirmation",
  "verify",
  "change",
  "show",
  "hide",
  "toggle",
  "validate",
  "lexer",
  "parser",
  "design",
  "theme",
  "color",
  "total",
  "invalid",
  "missing",
  "empty",
  "hashed",
  "hash",
  "encrypted",
  "checksum",
];

/** Last words of a name that describe something other than the secret itself (token_url...). */
const NEG_SUFFIX = [
  "id",
  "ids",
  "name",
  "names",
  "type",
  "types",
  "url",
  "urls",
  "uri",
  "uris",
  "endpoint",
  "host",
  "hostname",
  "path",
  "paths",
  "file",
  "files",
  "filename",
  "dir",
  "directory",
  "len",
  "length",
  "size",
  "count",
  "max",
  "min",
  "field",
  "fields",
  "label",
  "labels",
  "prompt",
  "hint",
  "message",
  "msg",
  "policy",
  "regex",
  "regexp",
  "pattern",
  "format",
  "header",
  "headers",
  "param",
  "params",
  "mode",
  "enabled",
  "enable",
  "disabled",
  "required",
  "expiry",
  "expires",
  "expiration",
  "expire",
  "ttl",
  "timeout",
  "ref",
  "refs",
  "env",
  "var",
  "vars",
  "hash",
  "hashed",
  "digest",
  "sha",
  "sha1",
  "sha256",
  "sha512",
  "md5",
  "checksum",
  "fingerprint",
  "salt",
  "version",
  "prefix",
  "suffix",
  "placeholder",
  "description",
  "desc",
  "title",
  "text",
  "help",
  "error",
  "errors",
  "status",
  "state",
  "template",
  "schema",
  "validator",
  "validation",
  "input",
  "button",
  "link",
  "icon",
  "class",
  "style",
  "location",
  "store",
  "storage",
  "provider",
  "manager",
  "handler",
  "helper",
  "util",
  "utils",
  "index",
  "idx",
  "column",
  "col",
  "table",
  "kind",
  "options",
  "opts",
  "rule",
  "rules",
  "algorithm",
  "algo",
  "method",
  "scheme",
  "source",
  "src",
  "command",
  "cmd",
  "question",
  "arn",
  "reset",
  "strength",
  "visible",
  "visibility",
  "changed",
  "updated",
  "created",
  "at",
  "date",
  "time",
  "set",
  "mask",
  "masked",
];

/** `id` -> `[Ii][Dd]`: one word in any letter case. */
function anyCase(word) {
  return [...word]
    .map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c))
    .join("");
}

function alternation(words) {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(anyCase)
    .join("|");
}

const capitalize = (w) => w[0].toUpperCase() + w.slice(1);

function tokenNeg(literal) {
  // Checked after the keyword, so that the regex starts with a literal and scans fast.
  return `(?<!(?:${alternation(TOKEN_NEG_WORDS)})[_.\\-]?${literal})`;
}

const lowerForms = [
  "pass(?<![A-Za-z]pass)(?![a-z])",
  "pass(?:word|wd|phrase)s?(?![a-z])",
  "pwd(?<![A-Za-z]pwd)(?![a-z])",
  "secret(?:e|s)?(?![a-z])",
  `tokens?(?![a-z])${tokenNeg("tokens?")}`,
  "auth(?<![A-Za-z]auth)(?![a-z])",
  "creds?(?<![A-Za-z]creds?)(?![a-z])",
  "credentials?(?![a-z])",
  "authorization(?![a-z])",
  `(?:${KEY_PREFIXES.join("|")})[_.\\-]?[Kk]eys?(?![a-z])`,
];
const capitalForms = [
  "Pass(?:word|wd|phrase)?s?(?![a-z])",
  "Pwd(?![a-z])",
  "Secret(?:e|s)?(?![a-z])",
  `Tokens?(?![a-z])${tokenNeg("Tokens?")}`,
  "Auth(?![a-z])",
  "Authorization(?![a-z])",
  "Cred(?:s|entials?)?(?![a-z])",
  `(?:${KEY_PREFIXES.map(capitalize).join("|")}|API)[_.\\-]?Keys?(?![a-z])`,
];
const upperForms = [
  // A bare PASS must start a word (not BYPASS, COMPASS); PASSWORD glued on is still one
  // (PGPASSWORD, MYSQLPASSWORD).
  "PASS(?:WORD|WD|PHRASE)S?(?![A-Z])",
  "PASS(?<![A-Z]PASS)S?(?![A-Z])",
  "PWD(?<![A-Z]PWD)(?![A-Z])",
  "SECRET(?:E|S)?(?![A-Z])",
  `TOKENS?(?![A-Z])${tokenNeg("TOKENS?")}`,
  "AUTH(?<![A-Z]AUTH)(?![A-Z])",
  "CREDS?(?<![A-Z]CREDS?)(?![A-Z])",
  "CREDENTIALS?(?![A-Z])",
  "AUTHORIZATION(?![A-Z])",
  `(?:${KEY_PREFIXES.map((p) => p.toUpperCase()).join("|")})[_.\\-]?KEYS?(?![A-Z])`,
];

/** The keyword text again, in any case, for the look-behind that rejects non-secret prefixes. */
const keywordText = `(?:${[
  `${anyCase("pass")}(?:${anyCase("word")}|${anyCase("wd")}|${anyCase("phrase")})?[Ss]?`,
  anyCase("pwd"),
  `${anyCase("secret")}[EeSs]?`,
  `${anyCase("token")}[Ss]?`,
  anyCase("authorization"),
  anyCase("auth"),
  `${anyCase("cred")}(?:[Ss]|${anyCase("entials")}|${anyCase("ential")})?`,
  `(?:${[...KEY_PREFIXES, "api"].map(anyCase).join("|")})[_.\\-]?${anyCase("key")}[Ss]?`,
].join("|")})`;

const negPrefix = `(?<!(?:${alternation(NEG_PREFIX)})[_.\\-]?${keywordText})`;
const keyword = `(?:${[...lowerForms, ...capitalForms, ...upperForms].join("|")})${negPrefix}`;
const negSuffix = `(?<![_.\\-](?:${alternation(NEG_SUFFIX)}))`;
const keyTail = `(?:[_.\\-][A-Za-z0-9_.\\-]{0,30}?)?${negSuffix}(?:\\[[^\\]\\n]{0,12}\\])?`;
/**
 * A declared string type between a name and its `=`, `before` and `between` the blanks allowed
 * around its parts: Go's `var x string = `, TypeScript's, Kotlin's, Swift's and Scala's
 * `x: String = `, Rust's `X: &str = ` and `X: &'static str = `, Python's `X: str = ` and its
 * constants `X: Final = `, `X: Final[str] = `, `X: ClassVar[str] = `. The rules for keys without
 * a prefix (name-gated-pattern.mjs) read the same declarations.
 */
export function declaredStringType(before, between) {
  return `(?:${before}:?${between}(?:&(?:'static${between})?)?(?:(?:typing\\.)?(?:(?:Final|ClassVar|Optional)\\[(?:str|string)\\]|Final)|string|String|str)(?!\\w))?`;
}

const typeAnnotation = declaredStringType("[ \\t]{0,40}", "[ \\t]{1,40}");
const operators = `(?:${[
  // --password value, --token=value
  "(?<=(?:^|[\\s\"'])--?[\\w.\\-]{1,60})(?:=|[ \\t]{1,40})",
  // C and C++: #define WIFI_PASSWORD "value", the macro's name in upper case (a lower-case
  // one, such as OpenSSL's SN_auth_gost01 "AuthGOST01", names an object, not a secret)
  "(?<=#[ \\t]{0,8}define[ \\t]{1,40}[A-Z0-9_]{1,80})[ \\t]{1,40}",
  // A Dockerfile's ENV NAME value (the form without =)
  "(?<=(?:^|\\n)[ \\t]{0,40}ENV[ \\t]{1,40}[\\w.\\-]{1,80})[ \\t]{1,40}",
  // <password>value</password>
  "(?<=<[\\w.\\-:]{1,60})>\\s{0,8}(?=[^<\\n]{1,200}\\s{0,16}</)",
  // NAME = value, "name": value, name := value, ENV["NAME"] = value, if (name == value),
  // ENV["NAME"] ||= value, name ??= value, R's name <- value
  `\\\\?["'\\x60]?\\]?${typeAnnotation}[ \\t]{0,4}(?:={1,3}|!==?|:{1,3}=|\\?\\??=|\\|\\|=|<<?-|=>|:|\\.=|\\+=)[ \\t]{0,6}@?`,
  // setProperty("NAME", "value")
  "(?<=[\"'\\x60][\\w.\\-]{1,80})\\\\?[\"'\\x60][ \\t]{0,40},[ \\t]{0,40}",
  // Terraform: variable "db_password" { type = string, default = "value" }, the default a few
  // lines into the block
  '"[ \\t]{0,3}\\{(?:[ \\t]{0,40}\\r?\\n(?:[^\\n}]{0,80}\\r?\\n){0,4}?)?[ \\t]{0,40}default[ \\t]{0,4}=[ \\t]{0,4}',
  // <add key="NAME" value="value" />
  "(?<=\\b(?:key|name|Key|Name)[ \\t]{0,40}=[ \\t]{0,40}[\"'][\\w.\\-:]{1,80})[\"'][ \\t]{1,40}(?:value|Value)[ \\t]{0,40}=[ \\t]{0,40}",
].join("|")})`;
/** One character of a value: no blanks, quotes, brackets or separators. */
const valueChar = "[^\\s\"'\\x60\\\\(){}\\[\\]<>,;|&]";
const value =
  "(\\\\?[\"'\\x60]?)(?:(?:Bearer|bearer|BEARER|Basic|basic|Token|token)[ \\t]{1,40})?" +
  `(?<secret>(?=${valueChar}{0,199}[0-9])(?=${valueChar}{0,199}[A-Za-z])${valueChar}{8,200})\\1` +
  // a quoted value ends at its quote (an XML attribute's may close its element: value="..."/>);
  // a bare one at a blank, the line end, a comment or `&`
  "(?:(?<=[\"'\\x60])(?:(?=\\/>)|(?![^\\s,;)}\\]<&|\\\\]))|(?<![\"'\\x60])(?=\\s|$|</|\\\\[nrt]|&|#|[\"'\\x60]))";

export const genericSecretPattern = keyword + keyTail + operators + value;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    const file = join(dirname(fileURLToPath(import.meta.url)), "..", "rules", "generic.yaml");
    const expected = `pattern: '${genericSecretPattern.replaceAll("'", "''")}'`;
    if (!readFileSync(file, "utf8").includes(expected)) {
      process.stderr.write(
        "rules/generic.yaml: pattern differs from scripts/generic-pattern.mjs\n",
      );
      process.exit(1);
    }
  } else {
    process.stdout.write(`${genericSecretPattern}\n`);
  }
}
