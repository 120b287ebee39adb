import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { compileAllow, compileRules } from "../../src/config/compile-rules.js";
import { expandTemplate } from "../../src/config/example-template.js";
import { loadBuiltinRules } from "../../src/config/load-rules.js";
import { ruleScope } from "../../src/config/pattern-scope.js";
import type { RawRule } from "../../src/config/rule-schema.js";
import { base62 } from "../../src/engine/checksum.js";
import { createDetector } from "../../src/engine/detector.js";
import { buildKeywordSearch, buildPrefilter } from "../../src/engine/prefilter.js";

function rule(overrides: Partial<RawRule> & Pick<RawRule, "id" | "pattern" | "keywords">): RawRule {
  return {
    title: overrides.id,
    provider: "test",
    severity: "high",
    tags: [],
    report: true,
    placeholderCheck: true,
    remediation: "rotate it",
    examples: { match: ["x"], nomatch: ["y"] },
    ...overrides,
  };
}

const source = { file: "test.yaml", builtin: true };
const compile = (...raws: RawRule[]) => compileRules(raws.map((raw) => ({ raw, source })));
/** The same with each rule's scope worked out, as the build does: windows, leads. */
const compileScoped = (...raws: RawRule[]) =>
  compileRules(
    raws.map((raw) => ({ raw, source })),
    new Set(),
    { scopeOf: ruleScope },
  );

const tokenRule = rule({
  id: "tok",
  pattern: "(?<![A-Za-z0-9])tok_(?<body>[A-Za-z0-9]{24})(?![A-Za-z0-9])",
  keywords: ["tok_"],
  entropy: 3,
});

describe("prefilter", () => {
  it("selects only the rules whose keyword occurs, case-insensitively, including nested keywords", () => {
    const rules = compile(
      rule({ id: "a", pattern: "sk-ant-[a-z]+", keywords: ["sk-ant-"] }),
      rule({ id: "b", pattern: "sk-[a-z]+", keywords: ["sk-"] }),
      rule({ id: "c", pattern: "gsk_[a-z]+", keywords: ["gsk_"] }),
    );
    const prefilter = buildPrefilter(rules);
    const selected = (text: string) => prefilter.candidates(text).map((c) => c.rule);
    expect(selected("key = SK-ANT-abc")).toEqual([0, 1]);
    expect(selected("nothing here")).toEqual([]);
    expect(selected("gsk_x")).toEqual([2]);
    expect(selected("sk")).toEqual([]);
  });

  it("reports where each keyword starts, for the rules that run on windows", () => {
    const rules = compileRules(
      [
        { raw: rule({ id: "a", pattern: "sk-ant-[a-z]{3}", keywords: ["sk-ant-"] }), source },
        { raw: rule({ id: "b", pattern: "sk-[a-z]{3}", keywords: ["sk-"] }), source },
      ],
      new Set(),
      { scopeOf: () => ({ reach: { chars: 20, lines: 0 } }) },
    );
    const prefilter = buildPrefilter(rules);
    expect(prefilter.candidates("x SK-ANT-abc sk-def")).toEqual([
      { rule: 0, hitStarts: [2] },
      { rule: 1, hitStarts: [2, 13] },
    ]);
  });
});

describe("keyword search (the prefilter for a handful of keywords)", () => {
  it("finds what the prefilter finds: every keyword, nested ones too, ASCII case folded, in a stretch", async () => {
    const rules = (await loadBuiltinRules()).filter((rule) => !rule.reach);
    const text = [
      "PASSWORD=x; Pwd=y",
      "-----BEGIN PRIVATE KEY-----",
      '"type": "service_account"',
      '<add key="ClearTextPassword" value="z" />',
      "pässword pwdpwd",
    ].join("\n");
    const search = buildKeywordSearch(rules);
    const prefilter = buildPrefilter(rules);
    const hits = (candidates: readonly { rule: number; hitStarts: number[] }[]) =>
      candidates.map(({ rule, hitStarts }) => [rules[rule]!.id, hitStarts]);
    expect(hits(search.candidates(text))).toEqual(hits(prefilter.candidates(text)));
    expect(hits(search.candidates(text)).length).toBeGreaterThan(2);
    const [from, to] = [text.indexOf("-----"), text.indexOf("<add")];
    expect(hits(search.candidates(text, from, to))).toEqual(
      hits(prefilter.candidates(text, from, to)),
    );
  });
});

describe("prefilter, in a run of one character", () => {
  const runRule = compileScoped(
    rule({
      id: "run",
      pattern: "a{20}(?<secret>[0-9]{6}[a-z]{4})",
      keywords: ["aaaaaaaaaaaaaaaaaaaa"],
    }),
  );

  it("keeps a hit every few characters, and the run's last", () => {
    const [candidate] = buildPrefilter(runRule).candidates("a".repeat(100_000));
    expect(candidate!.hitStarts.length).toBeLessThan(10_000);
    expect(candidate!.hitStarts.at(-1)).toBe(100_000 - 20);
  });

  it("finds what a hit at every position would, in a whole text and in a revision", () => {
    const detector = createDetector(runRule);
    const value = expandTemplate("{{digits:6}}{{lower:4}}");
    const text = `${"a".repeat(5000)}${value} ${"a".repeat(5000)}\n`;
    const found = detector.detect({ text, path: "a", startLine: 1 });
    expect(found.map((f) => [f.secret, f.column])).toEqual([[value, 5001]]);
    const base = detector.detectRevision({
      text: text.replace(value, "x"),
      path: "a",
      startLine: 1,
    });
    expect(base.findings).toEqual([]);
    const again = detector.detectRevision({ text, path: "a", startLine: 1 }, base.record);
    expect(again.findings.map((f) => [f.secret, f.column])).toEqual([[value, 5001]]);
  });
});

describe("rules tried at their keyword leads, where the keyword repeats", () => {
  const leadRule = compileScoped(
    rule({
      id: "lead",
      pattern: "(?<![a-z])(?:api|access)[_.\\-]?key=(?<secret>[0-9]{6}[a-z]{6})(?![a-z0-9])",
      keywords: ["key"],
    }),
  );

  it("has leads (the case under test)", () => {
    expect(leadRule[0]!.leads).toBeDefined();
  });

  it("finds every key among thousands of hits, in a whole text and in a revision", () => {
    // Thousands of keyword hits, each with several leads: more places to try than are sorted,
    // so they are marked (rule-matcher.ts matchStarts), with keys among them and at the ends.
    const values = Array.from({ length: 5 }, () => expandTemplate("{{digits:6}}{{lower:6}}"));
    const filler = "api_key=access-key=".repeat(2000);
    const text = `access_key=${values[0]} ${filler}api-key=${values[1]} ${filler}\n${filler}apikey=${values[2]} accesskey=${values[3]}\n${filler}api.key=${values[4]}`;
    const detector = createDetector(leadRule);
    const found = detector.detect({ text, path: "a", startLine: 1 });
    expect(found.map((f) => f.secret)).toEqual(values);
    const base = detector.detectRevision({
      text: text.replace(values[2]!, "x"),
      path: "a",
      startLine: 1,
    });
    expect(base.findings.map((f) => f.secret)).toEqual([
      values[0],
      values[1],
      values[3],
      values[4],
    ]);
    const again = detector.detectRevision({ text, path: "a", startLine: 1 }, base.record);
    expect(again.findings.map((f) => f.secret)).toEqual(values);
  });
});

describe("detector", () => {
  it("reports the secret with 1-based line and column and a stable fingerprint", () => {
    const detector = createDetector(compile(tokenRule));
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const [first] = detector.detect({
      text: `a\nkey = "${secret}"\n`,
      path: "a.env",
      startLine: 1,
    });
    expect(first).toMatchObject({
      ruleId: "tok",
      line: 2,
      column: 8,
      endColumn: 8 + secret.length,
      secret,
    });
    expect(first!.metadata).toEqual({ body: secret.slice(4) });
    const [moved] = detector.detect({
      text: `\n\n\n\nother = 1\nkey: ${secret}`,
      path: "b.yaml",
      startLine: 10,
    });
    expect(moved!.line).toBe(15);
    expect(moved!.fingerprint).toBe(first!.fingerprint);
  });

  it("maps lines through lineNumbers for diff fragments", () => {
    const detector = createDetector(compile(tokenRule));
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const [finding] = detector.detect({
      text: `x\n${secret}`,
      path: "a",
      startLine: 1,
      lineNumbers: [7, 42],
    });
    expect(finding!.line).toBe(42);
  });

  it("drops placeholders, low-entropy bodies and elided examples", () => {
    const detector = createDetector(compile(tokenRule));
    const texts = [
      "tok_xxxxxxxxxxxxxxxxxxxxxxxx",
      "tok_aaaaaaaaaaaaaaaaaaaaaaab",
      "tok_EXAMPLEabcdEXAMPLEabcd12",
      "tok_abababababababababababab",
      `tok_${expandTemplate("{{alnum:24}}")}...`,
    ];
    for (const text of texts)
      expect(detector.detect({ text, path: "a", startLine: 1 }), text).toEqual([]);
  });

  it("keeps a token whose checksum holds, whatever filler its random part spells or follows it", () => {
    const checked = rule({
      id: "checked-token",
      pattern: "(?<![A-Za-z0-9])(?<secret>ckt_[A-Za-z0-9]{36})(?![A-Za-z0-9])",
      keywords: ["ckt_"],
      checksum: "github-crc32",
    });
    const detector = createDetector(compile(checked));
    const body = `${expandTemplate("{{alnum:11}}")}EXAMPLExxxx${expandTemplate("{{alnum:8}}")}`;
    const valid = `ckt_${body}${base62(crc32(body), 6)}`;
    const invalid = `ckt_${body}${valid.endsWith("000000") ? "111111" : "000000"}`;
    const found = (text: string) => detector.detect({ text, path: "a", startLine: 1 });
    expect(found(valid).map((finding) => [finding.secret, finding.checksumValid])).toEqual([
      [valid, true],
    ]);
    expect(found(invalid)).toEqual([]);
    // Whole, so a log's `...` after it cuts nothing.
    expect(found(`Using ${valid}...`).map((finding) => finding.secret)).toEqual([valid]);
  });

  it("applies rule and global allowlists", () => {
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const allowed = compile({
      ...tokenRule,
      allow: { lines: ["fixture"], paths: ["**/testdata/**"] },
    });
    const detector = createDetector(allowed);
    expect(detector.detect({ text: `${secret} # fixture`, path: "a", startLine: 1 })).toEqual([]);
    expect(detector.detect({ text: secret, path: "x/testdata/a.txt", startLine: 1 })).toEqual([]);
    expect(detector.detect({ text: secret, path: "src/a.txt", startLine: 1 })).toHaveLength(1);
    const global = createDetector(compile(tokenRule), {
      globalAllow: compileAllow({ stopwords: [secret.slice(6, 14).toLowerCase()] }, () => "config"),
    });
    expect(global.detect({ text: secret, path: "a", startLine: 1 })).toEqual([]);
  });

  it("matches rule path globs against paths outside the working directory too", () => {
    const terraformOnly = compile({ ...tokenRule, paths: { include: ["**/*.tf"] } });
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const detector = createDetector(terraformOnly);
    expect(
      detector.detect({ text: secret, path: "../../infra/main.tf", startLine: 1 }),
    ).toHaveLength(1);
    expect(detector.detect({ text: secret, path: "../../infra/main.py", startLine: 1 })).toEqual(
      [],
    );
  });

  it("finds keys inside base64 text and reports the encoded text's position", () => {
    const detector = createDetector(compile(tokenRule));
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const encoded = Buffer.from(`API_TOKEN=${secret}\n`).toString("base64");
    const [finding] = detector.detect({
      text: `kind: Secret\ndata:\n  env: ${encoded}\n`,
      path: "s.yaml",
      startLine: 1,
    });
    expect(finding).toMatchObject({ secret, line: 3, column: 8, encoding: "base64" });
    expect(
      createDetector(compile(tokenRule), { maxDecodeDepth: 0 }).detect({
        text: encoded,
        path: "s",
        startLine: 1,
      }),
    ).toEqual([]);
  });

  it("decodes base64 after `NAME=`, base64 without digits, and base64 wrapped over lines", () => {
    const detector = createDetector(compile(tokenRule));
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const encoded = Buffer.from(`API_TOKEN=${secret}\n`).toString("base64");
    // `=` and `_` are base64url and padding characters too: the run must not take in the name.
    for (const line of [`ENV_FILE=${encoded}`, `https://ci.example.test/hook?payload=${encoded}`]) {
      const found = detector.detect({ text: line, path: "a", startLine: 1 });
      expect(
        found.map((f) => [f.secret, f.column, f.encoding]),
        line,
      ).toEqual([[secret, line.length - encoded.length + 1, "base64"]]);
    }
    // An encoded value followed by `...` is an elided example, as a plain one is.
    expect(detector.detect({ text: `ENV_FILE=${encoded}...`, path: "a", startLine: 1 })).toEqual(
      [],
    );
    // Base64 of upper-case text often holds no digit, `+` or `/` (an AWS key id's, one in ten).
    const keyIdRule = rule({ id: "key-id", pattern: "QKEY[A-Z]{16}", keywords: ["qkey"] });
    let keyId = "";
    let keyIdEncoded = "";
    while (keyIdEncoded === "" || /[0-9+/]/.test(keyIdEncoded)) {
      keyId = `QKEY${expandTemplate("{{upper:16}}")}`;
      keyIdEncoded = Buffer.from(keyId).toString("base64");
    }
    expect(
      createDetector(compile(keyIdRule)).detect({
        text: `ID_B64: ${keyIdEncoded}`,
        path: "a",
        startLine: 1,
      }),
    ).toMatchObject([{ secret: keyId, encoding: "base64" }]);
    // `base64` wraps at 76 columns: the lines are decoded as one, reported from the first.
    const long = `tok_${expandTemplate("{{alnum:24}}")}`;
    const wrapped = Buffer.from(`# generated\nNOTE=${"n".repeat(40)}\nAPI_TOKEN=${long}\n`)
      .toString("base64")
      .match(/.{1,76}/g)!;
    expect(wrapped.length).toBeGreaterThan(1);
    const text = `payload:\n${wrapped.map((line) => `  ${line}`).join("\r\n")}\n`;
    expect(
      detector.detect({ text, path: "a", startLine: 1 }).map((f) => [f.secret, f.line, f.column]),
    ).toEqual([[long, 2, 3]]);
  });

  it("decodes base64 wrapped over lines whose first line is only context, when later ones are added", () => {
    const detector = createDetector(compile(tokenRule));
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const wrapped = Buffer.from(`# generated\nNOTE=${"n".repeat(60)}\nAPI_TOKEN=${secret}\n`)
      .toString("base64")
      .match(/.{1,76}/g)!;
    expect(wrapped.length).toBeGreaterThan(2);
    const text = `payload:\n${wrapped.join("\n")}\n`;
    // A diff that changes the block's later lines shows its first one as context.
    const fragment = { text, path: "a", startLine: 1, contextOnly: new Set([1, 2]) };
    expect(detector.detect(fragment).map((f) => [f.secret, f.line, f.encoding])).toEqual([
      [secret, 2, "base64"],
    ]);
    // Wholly on context lines, it is not the change's.
    const unchanged = new Set(Array.from({ length: wrapped.length + 2 }, (_, i) => i + 1));
    expect(detector.detect({ ...fragment, contextOnly: unchanged })).toEqual([]);
  });

  it("reads each line of a wrapped block that is no text as a whole on its own", () => {
    const detector = createDetector(compile(tokenRule));
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    // 57 bytes encode to one 76-column line; random bytes around it make the block no text.
    const line = Buffer.from(`API_TOKEN=${secret}`.padEnd(57, " ")).toString("base64");
    const binary = () => randomBytes(57).toString("base64");
    const lines = [binary(), binary(), line, binary(), binary()];
    expect(lines.every((l) => l.length === 76)).toBe(true);
    const found = detector.detect({ text: `${lines.join("\n")}\n`, path: "a", startLine: 1 });
    expect(found.map((f) => [f.secret, f.line, f.encoding])).toEqual([[secret, 3, "base64"]]);
  });

  it("reads decoded text after the name it is assigned to on its line", () => {
    const namedRule = rule({
      id: "acme",
      pattern: "ACME_KEY: (?<secret>[a-f0-9]{32})(?![a-f0-9])",
      keywords: ["acme_key"],
      entropy: 3,
    });
    const value = expandTemplate("{{hex:32}}");
    const text = `kind: Secret\ndata:\n  ACME_KEY: ${Buffer.from(value).toString("base64")}\n`;
    const findings = createDetector(compile(namedRule)).detect({
      text,
      path: "s.yaml",
      startLine: 1,
    });
    expect(findings.map((f) => [f.ruleId, f.secret, f.line, f.column, f.encoding])).toEqual([
      ["acme", value, 3, 13, "base64"],
    ]);
  });

  it("finds keys in percent-encoded text at their own encoded characters", () => {
    const pipeRule = rule({
      id: "pipe",
      pattern: "(?<![A-Za-z0-9])(?<secret>KEY\\|[0-9]{6}\\|[A-Za-z0-9]{20})(?![A-Za-z0-9])",
      keywords: ["key|"],
      entropy: 3,
    });
    const digits = expandTemplate("{{digits:6}}");
    const body = expandTemplate("{{alnum:20}}");
    const prefix = "curl 'https://api.example.test/v1/models?token=";
    const text = `# models\n${prefix}KEY%7C${digits}%7c${body}&x=%2F'\n`;
    const [finding, ...more] = createDetector(compile(pipeRule)).detect({
      text,
      path: "run.sh",
      startLine: 1,
    });
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      secret: `KEY|${digits}|${body}`,
      line: 2,
      column: prefix.length + 1,
      endColumn: prefix.length + 1 + `KEY%7C${digits}%7c${body}`.length,
      encoding: "percent",
    });

    // A `|` written `\|`, in a Markdown table cell.
    const [inTable] = createDetector(compile(pipeRule)).detect({
      text: `| prod | KEY\\|${digits}\\|${body} |`,
      path: "KEYS.md",
      startLine: 1,
    });
    expect(inTable).toMatchObject({
      secret: `KEY|${digits}|${body}`,
      column: 10,
      endColumn: 10 + `KEY\\|${digits}\\|${body}`.length,
      encoding: "backslash",
    });

    // A key written as it is, in a run with an escape elsewhere, is no encoded key.
    const plain = createDetector(compile(pipeRule)).detect({
      text: `k=KEY|${digits}|${body}&next=a\\|b`,
      path: "a.txt",
      startLine: 1,
    });
    expect(plain.map((f) => [f.secret, f.encoding])).toEqual([
      [`KEY|${digits}|${body}`, undefined],
    ]);

    // A rule that matched the encoded text too is told once: with the decoded secret when its
    // match spans the encoded one (padding written %3D), else with the encoded one (an `@`
    // written %40 in a password, which ends the decoded URL's password early).
    const passwordRule = rule({
      id: "uri-password",
      pattern: "://[a-z]+:(?<secret>[^@\\s]{8,})@",
      keywords: ["://"],
    });
    const uri = `postgres://app:${expandTemplate("{{alnum:12}}")}%40x@db.example.test/app`;
    const found = createDetector(compile(passwordRule)).detect({
      text: uri,
      path: "a",
      startLine: 1,
    });
    expect(found.map((each) => [each.secret, each.encoding])).toEqual([
      [uri.slice("postgres://app:".length, uri.indexOf("@db")), undefined],
    ]);
    const paddedRule = rule({
      id: "padded",
      pattern: "(?<![A-Za-z0-9])PAD[A-Za-z0-9]{16}={0,2}",
      keywords: ["pad"],
    });
    const padded = `PAD${expandTemplate("{{alnum:16}}")}`;
    const encoded = createDetector(compile(paddedRule)).detect({
      text: `url = "https://api.example.test/?key=${padded}%3D%3D"`,
      path: "a",
      startLine: 1,
    });
    expect(encoded.map((each) => [each.secret, each.encoding])).toEqual([
      [`${padded}==`, "percent"],
    ]);
  });

  it("reports a rule with `requires` only next to its companion, and attaches the companion", () => {
    const rules = compile(
      rule({ id: "key-id", pattern: "KID[0-9]{6}", keywords: ["kid"] }),
      rule({
        id: "key-secret",
        pattern: "secret=(?<secret>[A-Za-z0-9]{20})",
        keywords: ["secret="],
        requires: { rule: "key-id", within: 2 },
      }),
    );
    const detector = createDetector(rules);
    const value = expandTemplate("{{alnum:20}}");
    const near = detector.detect({
      text: `id=KID123456\nsecret=${value}`,
      path: "a",
      startLine: 1,
    });
    expect(near.find((f) => f.ruleId === "key-secret")?.companion).toMatchObject({
      ruleId: "key-id",
      secret: "KID123456",
      line: 1,
    });
    const far = detector.detect({
      text: `id=KID123456\n\n\n\nsecret=${value}`,
      path: "a",
      startLine: 1,
    });
    expect(far.map((f) => f.ruleId)).toEqual(["key-id"]);
  });

  it("lets a provider rule shadow a generic rule on the same text", () => {
    const rules = compile(
      tokenRule,
      rule({
        id: "generic",
        tags: ["generic"],
        pattern: 'token = "(?<secret>[^"]+)"',
        keywords: ["token"],
      }),
    );
    const secret = `tok_${expandTemplate("{{alnum:24}}")}`;
    const other = expandTemplate("{{alnum:30}}");
    const findings = createDetector(rules).detect({
      text: `token = "${secret}"\ntoken = "${other}"`,
      path: "a",
      startLine: 1,
    });
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([
      ["tok", 1],
      ["generic", 2],
    ]);

    // A catch-all generic rule yields to a narrower generic one on the same secret.
    const twoGeneric = compile(
      rule({
        id: "catch-all",
        tags: ["generic", "catch-all"],
        pattern: "[Aa]uth\\w*: \\w+ (?<secret>\\w{20,})",
        keywords: ["auth"],
      }),
      rule({
        id: "bearer",
        tags: ["generic"],
        pattern: "Bearer (?<secret>\\w{20,})",
        keywords: ["bearer"],
      }),
    );
    const found = createDetector(twoGeneric).detect({
      text: `curl -H "Authorization: Bearer ${other}" https://api.example.test`,
      path: "a.sh",
      startLine: 1,
    });
    expect(found.map((f) => f.ruleId)).toEqual(["bearer"]);
  });

  it("reports one key at one place once, by the rule that knows its format", async () => {
    const detector = createDetector(await loadBuiltinRules());
    const part = (value: string) => Buffer.from(value).toString("base64url");
    const jwt = [
      part('{"alg":"HS256","typ":"JWT"}'),
      part(`{"sub":"${expandTemplate("{{alpha:12}}")}","iat":1716239022}`),
      expandTemplate("{{b64url:43}}"),
    ].join(".");
    const password = expandTemplate("{{alnum:12}}{{digits:4}}");
    const secretOf = (name: string, value: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\ndata:\n  ${name}: ${Buffer.from(value).toString("base64")}\n`;
    const cases = [
      [`curl -H "Authorization: Bearer ${jwt}" https://api.example.test/me\n`, "call.sh", "jwt"],
      [secretOf("token", jwt), "secret.yaml", "jwt"],
      [
        secretOf("DATABASE_URL", `postgres://app:${password}@db:5432/app`),
        "db-secret.yaml",
        "connection-uri-password",
      ],
    ] as const;
    for (const [text, path, ruleId] of cases) {
      const found = detector.detect({ text, path, startLine: 1 });
      expect(
        found.map((f) => f.ruleId),
        path,
      ).toEqual([ruleId]);
    }
  });

  it("keeps each of thousands of keys in one file once, by the rule that knows its format", async () => {
    // Generic rules read every `NAME=value` line too; each of their hits is dropped for the
    // provider's hit at its place (the overlap checks, which once compared every hit with all).
    const detector = createDetector(await loadBuiltinRules());
    const tokens = Array.from({ length: 3000 }, () => expandTemplate("ghp_{{alnum:36}}"));
    const text = tokens.map((token, index) => `API_TOKEN_${index}=${token}\n`).join("");
    const found = detector.detect({ text, path: "keys.env", startLine: 1 });
    expect(found.map((f) => [f.ruleId, f.secret, f.line])).toEqual(
      tokens.map((token, index) => ["github-pat", token, index + 1]),
    );
  });

  it("reports a key once where two rules of one file find it at one place", () => {
    const byName = rule({
      id: "acme-by-name",
      pattern: "ACME_KEY=(?<secret>[a-f0-9]{32})",
      keywords: ["acme_key"],
    });
    const byHost = rule({
      id: "acme-by-host",
      pattern: "=(?<secret>[a-f0-9]{32})(?=[\\s\\S]{0,80}api\\.acme\\.test)",
      keywords: ["api.acme.test"],
    });
    const value = expandTemplate("{{hex:32}}");
    const found = createDetector(compile(byName, byHost)).detect({
      text: `ACME_KEY=${value}\nACME_URL=https://api.acme.test/v1\n`,
      path: ".env",
      startLine: 1,
    });
    expect(found.map((f) => f.ruleId)).toEqual(["acme-by-name"]);
  });

  it("marks GitHub-style checksums without dropping tokens whose checksum fails", () => {
    const rules = compile(
      rule({
        id: "gh",
        pattern: "ghp_[A-Za-z0-9]{36}",
        keywords: ["ghp_"],
        checksum: "github-crc32",
      }),
    );
    const [finding] = createDetector(rules).detect({
      text: `ghp_${expandTemplate("{{alnum:36}}")}`,
      path: "a",
      startLine: 1,
    });
    expect(finding!.checksumValid).toBe(false);
  });
});
