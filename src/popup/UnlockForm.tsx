// Shown instead of the account list while the keys are locked.
import { useId } from 'preact/hooks';
import type { LockStatus } from '../shared/reply-values';
import type { Send } from '../shared/message-client';
import { t } from '../shared/i18n';
import { FormAlert } from './FormAlert';
import { SubmitRow } from './FormActions';
import { SecretField } from './SecretField';
import { useRequest } from './use-request';
import { useSecret } from './use-secret';
import './forms.css';

interface Props {
  send: Send;
  onUnlocked(status: LockStatus): void;
}

export function UnlockForm({ send, onUnlocked }: Props) {
  const errorId = useId();
  // Typed again after a refusal, as a password would be.
  const passphrase = useSecret();
  const { busy, error, setError, run } = useRequest();

  const submit = (event: Event) => {
    event.preventDefault();
    if (passphrase.value === '') return;
    run(
      () => passphrase.spend((value) => send({ type: 'lock.unlock', passphrase: value })),
      (reply) => {
        if (reply.ok) {
          onUnlocked(reply.lock);
          return;
        }
        setError(reply.error.message);
        passphrase.ref.current?.focus();
      },
    );
  };

  return (
    <section class="view" aria-labelledby="locked-heading">
      <h1 id="locked-heading">{t('popup_locked_heading')}</h1>
      <p class="intro">{t('popup_locked_intro')}</p>
      <form onSubmit={submit} noValidate>
        <SecretField label={t('popup_lock_passphrase')} secret={passphrase} autocomplete="current-password" aria-describedby={error ? errorId : undefined} focus />
        <FormAlert id={errorId} error={error} />
        <SubmitRow busy={busy} label={t('popup_unlock')} busyLabel={t('popup_unlocking')} />
      </form>
    </section>
  );
}
