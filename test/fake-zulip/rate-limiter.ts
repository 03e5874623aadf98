// Zulip's per-username authentication limiter (RedisRateLimiterBackend), in memory.
// A request is refused while the Nth most recent recorded attempt is still inside
// the window; refused requests are not recorded, so the wait is measured from that
// attempt, not from the refusal.

export interface RateLimitRule {
  attempts: number;
  windowSeconds: number;
}

export interface RateLimitOutcome {
  limited: boolean;
  limit: number;
  /** Attempts left in the window after this one (0 when limited). */
  remaining: number;
  /** Seconds until an attempt would be accepted again (limited) or until the window resets. */
  secondsToFreedom: number;
}

export class UsernameRateLimiter {
  /** Attempt times in seconds, newest first, at most `attempts` long (like the Redis list). */
  private readonly history = new Map<string, number[]>();

  hit(key: string, rule: RateLimitRule, nowSeconds: number): RateLimitOutcome {
    const recent = (this.history.get(key) ?? []).filter((t) => t > nowSeconds - rule.windowSeconds);
    const nth = recent[rule.attempts - 1];
    if (nth !== undefined && nth + rule.windowSeconds >= nowSeconds) {
      this.history.set(key, recent);
      return {
        limited: true,
        limit: rule.attempts,
        remaining: 0,
        secondsToFreedom: nth + rule.windowSeconds - nowSeconds,
      };
    }
    recent.unshift(nowSeconds);
    recent.length = Math.min(recent.length, Math.max(rule.attempts, 1));
    this.history.set(key, recent);
    return {
      limited: false,
      limit: rule.attempts,
      remaining: Math.max(rule.attempts - recent.length, 0),
      secondsToFreedom: rule.windowSeconds,
    };
  }

  clear(key: string): void {
    this.history.delete(key);
  }

  clearAll(): void {
    this.history.clear();
  }
}
