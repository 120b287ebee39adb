/**
 * The two throttles of the scheduler: a cap on requests in flight, and a minimum spacing of
 * request starts per host (so a burst of findings for one provider does not look like abuse).
 */

export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs at most `limit` tasks at once, in submission order. */
export function createConcurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export interface HostRateLimit {
  /** Resolves when a request to `host` may start. */
  acquire(host: string): Promise<void>;
  /** No request to `host` starts before `waitMs` from now (its Retry-After, for every key). */
  holdFor(host: string, waitMs: number): void;
}

/** At most `perSecond` request starts per host, evenly spaced. */
export function createHostRateLimit(
  perSecond: number,
  clock: () => number = Date.now,
  wait: Sleep = sleep,
): HostRateLimit {
  const interval = 1000 / perSecond;
  const nextStart = new Map<string, number>();
  return {
    async acquire(host) {
      const now = clock();
      const start = Math.max(now, nextStart.get(host) ?? now);
      // Reserve the slot before waiting so concurrent callers queue behind it.
      nextStart.set(host, start + interval);
      if (start > now) await wait(start - now);
    },
    holdFor(host, waitMs) {
      const until = clock() + waitMs;
      nextStart.set(host, Math.max(nextStart.get(host) ?? 0, until));
    },
  };
}

/** Milliseconds a Retry-After header asks for (delta seconds or HTTP date), if it parses. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
