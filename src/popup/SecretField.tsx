// A labelled password field bound to a secret (use-secret.ts): a password, an API key, a passphrase.
import type { InputHTMLAttributes } from 'preact';
import { useId, useLayoutEffect } from 'preact/hooks';
import type { Secret } from './use-secret';

type Props = Pick<InputHTMLAttributes, 'autocomplete' | 'autocapitalize' | 'spellcheck' | 'aria-invalid' | 'aria-describedby'> & {
  label: string;
  secret: Secret;
  /** Takes the focus as it appears. */
  focus?: boolean;
};

export function SecretField({ label, secret, focus, ...input }: Props) {
  const id = useId();
  useLayoutEffect(() => {
    if (focus) secret.ref.current?.focus();
  }, []);
  return (
    <>
      <label for={id}>{label}</label>
      <input id={id} ref={secret.ref} type="password" value={secret.value} onInput={(event) => secret.set(event.currentTarget.value)} {...input} />
    </>
  );
}
