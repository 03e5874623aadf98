// Values kept in the background's memory and handed to every request: frozen all the way down, so
// that no request can change what the next one reads.

/** Freezes `value` and everything it holds; throws for what cannot be frozen (a non-empty typed array). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
