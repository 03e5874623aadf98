// Measuring several sides (ours, the floor, an identical copy of the floor) in turns, so that the machine's noise
// hits all of them alike.

/**
 * The order the `sides` run in, in round `round`: rotated by one each round, and reversed every other cycle of
 * rotations, so that each side runs first, last, and right after each other side equally often.
 */
export function roundOrder(round: number, sides: number): number[] {
  const rotated = Array.from({ length: sides }, (_, i) => (round + i) % sides);
  return Math.floor(round / sides) % 2 === 0 ? rotated : rotated.reverse();
}

/** `rounds` rounds of every side, in roundOrder; each side's samples in the order taken. */
export async function interleaved<S extends string>(rounds: number, sides: Record<S, () => Promise<number[]>>): Promise<Record<S, number[]>> {
  const names = Object.keys(sides) as S[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<S, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const index of roundOrder(round, names.length)) {
      const name = names[index]!;
      samples[name].push(...(await sides[name]()));
    }
  }
  return samples;
}
