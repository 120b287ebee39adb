import { ConfigError } from "../errors.js";

/**
 * The proxy variables of the runner's environment, read as curl reads them: HTTPS_PROXY for
 * https:// calls (HTTP_PROXY when it is not set), HTTP_PROXY for http:// ones, upper or lower
 * case; a value without a scheme is `http://` (`proxy.corp:3128`); NO_PROXY names the hosts
 * called directly. A value that is no address at all is a ConfigError naming its variable.
 */

export interface ProxyServer {
  /** The variable it was read from, as spelt in the environment (HTTPS_PROXY, https_proxy...). */
  readonly variable: string;
  readonly url: URL;
}

interface NoProxyEntry {
  /** Lower case, without brackets or a leading "." / "*.". */
  readonly host: string;
  readonly port: number | undefined;
}

export interface ProxySettings {
  readonly http: ProxyServer | undefined;
  readonly https: ProxyServer | undefined;
  /** True when NO_PROXY is `*`. */
  readonly noneProxied: boolean;
  readonly noProxy: readonly NoProxyEntry[];
}

type Env = Readonly<Record<string, string | undefined>>;

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443 };

/** The variable that is set, upper case first, with its value. */
function variable(env: Env, name: string): { name: string; value: string } | undefined {
  for (const spelling of [name, name.toLowerCase()]) {
    const value = env[spelling]?.trim();
    if (value) return { name: spelling, value };
  }
  return undefined;
}

/** A proxy value as an error may quote it: without a user and password. */
function shown(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^@/]*@/, "$1…@");
}

function parseProxy(name: string, value: string): ProxyServer {
  let url: URL | undefined;
  try {
    url = new URL(SCHEME.test(value) ? value : `http://${value}`);
  } catch {
    url = undefined;
  }
  if (!url?.hostname) {
    throw new ConfigError(
      `${name}: "${shown(value)}" is not a proxy address (expected host:port or http://host:port)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(
      `${name}: ${url.protocol}// proxies are not supported (use an http:// or https:// proxy)`,
    );
  }
  return { variable: name, url };
}

function parseNoProxy(value: string): NoProxyEntry[] {
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      // A port follows a name, an IPv4 address or a bracketed IPv6 one (`::1` has none).
      const withPort = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(entry);
      const host = (withPort ? withPort[1]! : entry)
        .toLowerCase()
        .replace(/^\*?\./, "")
        .replace(/^\[(.*)\]$/, "$1");
      return { host, port: withPort ? Number(withPort[2]) : undefined };
    })
    .filter((entry) => entry.host !== "");
}

export function readProxySettings(env: Env): ProxySettings {
  const http = variable(env, "HTTP_PROXY");
  const https = variable(env, "HTTPS_PROXY") ?? http;
  const noProxy = variable(env, "NO_PROXY")?.value ?? "";
  return {
    http: http && parseProxy(http.name, http.value),
    https: https && parseProxy(https.name, https.value),
    noneProxied: noProxy === "*",
    noProxy: parseNoProxy(noProxy),
  };
}

/**
 * The proxy a call to `url` goes through, or undefined to call it directly: NO_PROXY entries
 * match the host and its subdomains (`example.com` and `.example.com` alike), on any port or
 * on the one they name.
 */
export function proxyFor(settings: ProxySettings, url: URL): ProxyServer | undefined {
  const proxy = url.protocol === "https:" ? settings.https : settings.http;
  if (!proxy || settings.noneProxied) return undefined;
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  const bypassed = settings.noProxy.some(
    (entry) =>
      (entry.port === undefined || entry.port === port) &&
      (host === entry.host || host.endsWith(`.${entry.host}`)),
  );
  return bypassed ? undefined : proxy;
}

/** host:port of a proxy, as messages name it (never its user or password). */
export function proxyAddress(proxy: ProxyServer): string {
  return `${proxy.url.hostname}:${proxy.url.port || DEFAULT_PORTS[proxy.url.protocol]}`;
}
