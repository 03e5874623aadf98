// What the password form and the API key form share: the username as typed, the secret beside it,
// the one request, its error and the field that error is about.
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import { useRequest } from './use-request';
import { useSecret } from './use-secret';

/** A form's error, and the field it is about (null: the whole form). */
export interface FieldError<F extends string> {
  message: string;
  field: F | null;
}

type Attempt<O> = { ok: true; account: AccountSummary; replaced: AccountSummary | null } | ({ ok: false } & O);

interface Options<F extends string, E extends FieldError<F>> {
  initialUsername: string;
  initialError?: E | null;
  /** Which field takes the focus first. */
  focusSecret: boolean;
  /** The name the outcomes give the username field, whose failures it takes the focus for. */
  usernameField: F;
  onUsernameChange(username: string): void;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
}

export function useSignInForm<F extends string, E extends FieldError<F>>(options: Options<F, E>) {
  const [username, setUsername] = useState(options.initialUsername);
  // What the field holds now, for the answer that arrives after the person typed on.
  const typedUsername = useRef(options.initialUsername);
  const usernameRef = useRef<HTMLInputElement>(null);
  const secret = useSecret();
  const { busy, error, setError, run } = useRequest<E>(options.initialError);
  const usernameId = useId();
  const errorId = useId();

  useLayoutEffect(() => (options.focusSecret ? secret.ref : usernameRef).current?.focus(), []);

  const changeUsername = (value: string) => {
    typedUsername.current = value;
    setUsername(value);
    options.onUsernameChange(value);
  };

  /**
   * For the submit handler: `attempt` gets the secret at once (it may ask for a permission first)
   * and the secret goes once it is answered. A failure goes to `failed`, the form's alert unless
   * said otherwise.
   */
  const submit = <O extends E>(event: Event, attempt: (secret: string) => Promise<Attempt<O>>, failed: (outcome: O) => void = setError) => {
    event.preventDefault();
    run(
      () => secret.spend(attempt),
      (outcome) => {
        if (outcome.ok) {
          options.onSignedIn(outcome.account, outcome.replaced);
          return;
        }
        // Re-saving drops the draft's marks: the prompt, if any, has been answered, and the request has ended.
        options.onUsernameChange(typedUsername.current);
        failed(outcome);
        (outcome.field === options.usernameField ? usernameRef : secret.ref).current?.focus();
      },
    );
  };

  /** For a field's aria-describedby: the alert, when it is about that field or the whole form. */
  const describedBy = (field: F, alert: FieldError<F> | null = error) => (alert && (alert.field === field || alert.field === null) ? errorId : undefined);

  return { username, changeUsername, usernameRef, usernameId, secret, busy, error, setError, errorId, describedBy, submit };
}
