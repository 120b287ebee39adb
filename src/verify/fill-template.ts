/**
 * Substitutes `{{secret}}`, `{{companion}}` and `{{<group>}}` in a verify template. Each place
 * has its own encoding so a secret can only ever be a value: URL-encoded in paths, JSON-escaped
 * in JSON bodies, refused in headers when it holds a line break.
 */

export type TemplateContext = "path" | "header" | "json" | "text";

const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** A placeholder the input cannot fill, or a value that cannot go where it was asked. */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
}

function encodePathValue(value: string): string {
  // Keep ":" and "@" (legal in a path segment; Telegram's bot<token> paths need the colon).
  return encodeURIComponent(value).replaceAll("%3A", ":").replaceAll("%40", "@");
}

function encode(value: string, context: TemplateContext): string {
  switch (context) {
    case "path":
      return encodePathValue(value);
    case "json":
      return JSON.stringify(value).slice(1, -1);
    case "header":
      if (/[\r\n\0]/.test(value))
        throw new TemplateError("a value for a header holds a line break");
      return value;
    case "text":
      return value;
  }
}

export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string | undefined>>,
  context: TemplateContext,
): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new TemplateError(`the match has no "${name}" to fill {{${name}}}`);
    return encode(value, context);
  });
}
