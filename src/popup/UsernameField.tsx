// The account's email (or LDAP username) field, as every form that signs in asks for it: the
// browser's password manager fills it as the username.
import type { Ref } from 'preact';
import { t } from '../shared/i18n';

interface Props {
  id: string;
  inputRef: Ref<HTMLInputElement>;
  /** False on LDAP realms whose people sign in with a username. */
  isEmail: boolean;
  value: string;
  invalid: boolean;
  describedBy: string | undefined;
  onChange(value: string): void;
}

export function UsernameField({ id, inputRef, isEmail, value, invalid, describedBy, onChange }: Props) {
  return (
    <>
      <label for={id}>{isEmail ? t('popup_email_label') : t('popup_username_label')}</label>
      <input
        id={id}
        ref={inputRef}
        {...(isEmail ? ({ type: 'email' } as const) : ({ type: 'text' } as const))}
        autocomplete="username"
        autocapitalize="off"
        spellcheck={false}
        value={value}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
    </>
  );
}
