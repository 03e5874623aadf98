// A sliding-window rate limit: at most `limit` requests per key in any `windowMs`. A fixed window
// would let a sender make twice the limit in a moment by straddling a window's edge; the log of
// accepted requests this needs is at most `limit` numbers per key.
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  now(): number;
}

export function createRateLimiter<K>({ limit, windowMs, now }: RateLimitOptions) {
  /** Per key, the times of the requests accepted in the current window, oldest first. */
  const accepted = new Map<K, number[]>();
  let nextSweep = 0;

  // A time after `at` means the clock was set back; such entries are dropped rather than
  // locking the key out until the clock catches up again.
  const recent = (times: number[], at: number) => times.filter((time) => time > at - windowMs && time <= at);

  /** Forgets every key with nothing in the window, so that closed tabs leave nothing behind. */
  function sweep(at: number): void {
    for (const [key, times] of accepted) {
      const kept = recent(times, at);
      if (kept.length === 0) accepted.delete(key);
      else accepted.set(key, kept);
    }
    nextSweep = at + windowMs;
  }

  return {
    /** Counts a request: null when it is allowed, or the time (epoch ms) the key may ask again. */
    take(key: K): number | null {
      const at = now();
      if (at >= nextSweep || at < nextSweep - windowMs) sweep(at);
      const times = recent(accepted.get(key) ?? [], at);
      if (times.length >= limit) {
        accepted.set(key, times);
        // The oldest accepted request leaves the window then, freeing one place.
        return (times[0] ?? at) + windowMs;
      }
      times.push(at);
      accepted.set(key, times);
      return null;
    },
    /** How many keys are remembered; for tests of the memory bound. */
    size(): number {
      return accepted.size;
    },
  };
}
export type RateLimiter<K> = ReturnType<typeof createRateLimiter<K>>;
