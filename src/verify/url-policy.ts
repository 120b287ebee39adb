/**
 * Where keywarden may send a key at all: https anywhere the caller resolved, plain http only to
 * this machine (a stand-in server, a local gateway). Applied by the HTTP client to every request
 * and by endpoint parsing, so a misconfigured override fails before anything is sent.
 */

const LOOPBACK_NAMES = new Set(["localhost", "localhost.", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (LOOPBACK_NAMES.has(host)) return true;
  // 127.0.0.0/8, written as a dotted quad (URL parsing normalises other IPv4 spellings).
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Why `url` may not carry a key, or undefined when it may. */
export function unsendableReason(url: URL): string | undefined {
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") {
    return isLoopbackHost(url.hostname)
      ? undefined
      : `plain http:// is only allowed to loopback addresses, not ${url.hostname}; use https://`;
  }
  return `unsupported scheme ${url.protocol} (use https://)`;
}
