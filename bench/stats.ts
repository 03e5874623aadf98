// The statistics the bench reports: plain functions over samples in milliseconds.

export interface Summary {
  median: number;
  p95: number;
  n: number;
}

/** The value at quantile `q` (0..1) by the nearest-rank method: always one of the samples, never interpolated. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new Error('no samples');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} is outside 0..1`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/** Median as the mean of the two middle samples for an even count. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  return { median: median(samples), p95: quantile(samples, 0.95), n: samples.length };
}

/** ours / floor, or null when the floor is zero (a ratio would be meaningless). */
export function ratio(ours: number, floor: number): number | null {
  return floor > 0 ? ours / floor : null;
}
