import { describe, expect, it } from 'vitest';
import { interleaved, roundOrder } from './interleave';

describe('interleaved rounds', () => {
  it('alternates which of two sides goes first', () => {
    expect([0, 1, 2, 3].map((round) => roundOrder(round, 2))).toEqual([
      [0, 1],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
  });

  it('runs each of three sides first, last and right after each other side equally often', () => {
    const orders = Array.from({ length: 6 }, (_, round) => roundOrder(round, 3));
    expect(new Set(orders.map((order) => order.join(''))).size).toBe(6);
    for (const side of [0, 1, 2]) {
      expect(orders.filter((order) => order[0] === side)).toHaveLength(2);
      expect(orders.filter((order) => order[2] === side)).toHaveLength(2);
    }
  });

  it('collects each side’s samples in the order taken', async () => {
    const log: string[] = [];
    let n = 0;
    const side = (name: string) => async () => {
      log.push(name);
      return [n++];
    };
    const samples = await interleaved(2, { ours: side('ours'), floor: side('floor') });
    expect(log).toEqual(['ours', 'floor', 'floor', 'ours']);
    expect(samples).toEqual({ ours: [0, 3], floor: [1, 2] });
  });
});
