// A development server's users, each a button that signs in as them without a password.
import { useEffect, useId, useState } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import { listDevUsers, signInAsDevUser } from './dev-sign-in';
import { t, type MessageKey } from '../shared/i18n';
import { FormAlert } from './FormAlert';
import { useRequest } from './use-request';

interface Props {
  deps: FlowDeps;
  realm: RealmInfo;
  /** The origin typed in the first step. */
  origin: string;
  onBeforePrompt(origin: string): void;
  /** As SignInStep's. */
  onSending(): void;
  onSettled(): void;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
}

export function DevSignIn({ deps, realm, origin, onBeforePrompt, onSending, onSettled, onSignedIn }: Props) {
  const [listed, setListed] = useState<{ admins: string[]; users: string[] } | null>(null);
  // The listing's failure or the last sign-in's; `working` is the email being signed in as.
  const { working, error, setError, run } = useRequest();
  const headingId = useId();
  const errorId = useId();

  useEffect(() => {
    let current = true;
    void listDevUsers(realm, deps).then((outcome) => {
      if (!current) return;
      if (outcome.ok) setListed(outcome);
      else setError(outcome.message);
    });
    return () => {
      current = false;
    };
  }, [realm.realmUrl]);

  // Synchronously inside the click: signInAsDevUser asks for any permission before it awaits.
  const signIn = (email: string) =>
    run(
      () => signInAsDevUser(realm, origin, email, deps, onBeforePrompt, onSending),
      (outcome) => {
        if (outcome.ok) {
          onSignedIn(outcome.account, outcome.replaced);
          return;
        }
        onSettled();
        setError(outcome.message);
      },
      email,
    );

  const groups: Array<[MessageKey, string[]]> = listed
    ? [
        ['popup_dev_admins', listed.admins],
        ['popup_dev_users', listed.users],
      ]
    : [];
  const shown = groups.filter(([, emails]) => emails.length > 0);
  return (
    <section class="dev" aria-labelledby={headingId} aria-busy={listed === null && error === null}>
      <h2 id={headingId} class="divider">
        {t('popup_dev_heading')}
      </h2>
      <p class="hint">{t('popup_dev_hint', realm.name)}</p>
      {listed === null && error === null && <p class="muted">{t('popup_dev_loading')}</p>}
      {listed !== null && shown.length === 0 && <p class="notice">{t('popup_dev_none')}</p>}
      {shown.map(([heading, emails]) => (
        <div key={heading} class="dev-group">
          <h3>{t(heading)}</h3>
          <ul>
            {emails.map((email) => (
              <li key={email}>
                <button
                  type="button"
                  class="dev-user"
                  disabled={working !== null}
                  aria-busy={working === email}
                  aria-describedby={error ? errorId : undefined}
                  onClick={() => signIn(email)}
                >
                  {t('popup_dev_log_in_as', email)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <FormAlert id={errorId} error={error} />
    </section>
  );
}
