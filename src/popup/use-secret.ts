// A password, API key or passphrase field. Its value lives in the form's state only until the one
// request that needs it has been answered, whatever the answer (spend); one typed since is kept.
import { useRef, useState } from 'preact/hooks';

export interface Secret {
  value: string;
  set(value: string): void;
  ref: { current: HTMLInputElement | null };
  /** Calls `request` at once with the value, and empties the field once it is answered. */
  spend<T>(request: (value: string) => Promise<T>): Promise<T>;
}

export function useSecret(): Secret {
  const [value, set] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  const spend = <T>(request: (value: string) => Promise<T>) => {
    const sent = value;
    return request(sent).then((outcome) => {
      if (ref.current?.value === sent) {
        set('');
        ref.current.value = '';
      }
      return outcome;
    });
  };
  return { value, set, ref, spend };
}
