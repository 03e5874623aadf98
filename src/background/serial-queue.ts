// Runs tasks one after another, so that read-modify-write sequences on storage never interleave.
// One background instance exists per profile, so an in-memory chain is enough.
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}
export type SerialQueue = ReturnType<typeof createSerialQueue>;
