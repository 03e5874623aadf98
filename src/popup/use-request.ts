// One request at a time from a form or a button, with the error it ended with. run() calls the
// request at once, inside the event handler that calls it: a permission request must be the first
// asynchronous thing a click does, or Firefox refuses it (host-permission.ts).
import { useRef, useState } from 'preact/hooks';

export interface RequestState<E> {
  busy: boolean;
  /** What run() was told is under way (which button of several), or null when nothing is. */
  working: string | null;
  error: E | null;
  setError(error: E | null): void;
  /** Starts `request` unless one is under way (a second press is turned away); `settled` gets its outcome. */
  run<T>(request: () => Promise<T>, settled: (outcome: T) => void, what?: string): void;
}

export function useRequest<E = string>(initialError: E | null = null): RequestState<E> {
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<E | null>(initialError);
  // The state would let a second press through until the next render; the ref does not.
  const underWay = useRef(false);
  const run: RequestState<E>['run'] = (request, settled, what = '') => {
    if (underWay.current) return;
    underWay.current = true;
    setWorking(what);
    setError(null);
    void request().then((outcome) => {
      underWay.current = false;
      setWorking(null);
      settled(outcome);
    });
  };
  return { busy: working !== null, working, error, setError, run };
}
