import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('createRateLimiter', () => {
  function limiter() {
    const clock = { now: 0 };
    return { clock, limit: createRateLimiter<string>({ limit: 3, windowMs: 1000, now: () => clock.now }) };
  }

  it('allows `limit` requests in any window and says when the next one is allowed', () => {
    const { clock, limit } = limiter();
    for (const at of [0, 200, 400]) {
      clock.now = at;
      expect(limit.take('tab')).toBeNull();
    }
    clock.now = 999;
    expect(limit.take('tab')).toBe(1000);
    clock.now = 1000;
    expect(limit.take('tab')).toBeNull();
    expect(limit.take('tab')).toBe(1200);
  });

  it('does not count refused requests: a sender that keeps asking is answered again as its old requests age', () => {
    const { clock, limit } = limiter();
    for (let i = 0; i < 3; i++) limit.take('tab');
    for (let i = 0; i < 50; i++) expect(limit.take('tab')).toBe(1000);
    clock.now = 1000;
    expect(limit.take('tab')).toBeNull();
  });

  it('forgets keys that have gone quiet, so closed tabs cost no memory', () => {
    const { clock, limit } = limiter();
    for (let tab = 0; tab < 1000; tab++) limit.take(`tab ${tab}`);
    expect(limit.size()).toBe(1000);
    clock.now = 1500;
    limit.take('new tab');
    expect(limit.size()).toBe(1);
  });

  it('a clock set back does not lock a key out until it catches up', () => {
    const { clock, limit } = limiter();
    clock.now = 10_000;
    for (let i = 0; i < 3; i++) limit.take('tab');
    clock.now = 5_000;
    expect(limit.take('tab')).toBeNull();
  });
});
