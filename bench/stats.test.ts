import { describe, expect, it } from 'vitest';
import { median, quantile, ratio, summarize } from './stats';

describe('bench statistics', () => {
  it('takes the median of an odd count as the middle sample, of an even count as the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('takes p95 by nearest rank: a sample, never an interpolation', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(hundred, 0.95)).toBe(95);
    expect(quantile([10, 20, 30], 0.95)).toBe(30);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('refuses an empty sample and a quantile outside 0..1', () => {
    expect(() => median([])).toThrow('no samples');
    expect(() => quantile([1], 1.5)).toThrow('outside');
  });

  it('summarizes without reordering the caller’s samples', () => {
    const samples = [3, 1, 2];
    expect(summarize(samples)).toEqual({ median: 2, p95: 3, n: 3 });
    expect(samples).toEqual([3, 1, 2]);
  });

  it('gives no ratio against a zero floor', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNull();
  });
});
