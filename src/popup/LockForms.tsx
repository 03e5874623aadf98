// The settings' forms that send a passphrase: to turn the lock on, to change the passphrase, to
// turn the lock off. The background checks them all again.
import { useState } from 'preact/hooks';
import type { LockStatus } from '../shared/reply-values';
import type { Send } from '../shared/message-client';
import { t } from '../shared/i18n';
import { newPassphraseProblem } from './passphrase';
import { FormAlert } from './FormAlert';
import { SideButton, SubmitRow } from './FormActions';
import { IdleChoice } from './IdleChoice';
import { SecretField } from './SecretField';
import { useLockRequest } from './use-lock-request';
import { useSecret } from './use-secret';
import './forms.css';

export function EnableForm({ send, idleMinutes, onEnabled }: { send: Send; idleMinutes: number; onEnabled(status: LockStatus): void }) {
  const passphrase = useSecret();
  const confirmation = useSecret();
  const [idle, setIdle] = useState(idleMinutes);
  const { busy, error, errorId, describedBy, submit } = useLockRequest();
  return (
    <form
      onSubmit={(event) =>
        submit(event, () => send({ type: 'lock.enable', passphrase: passphrase.value, idleMinutes: idle }), onEnabled, newPassphraseProblem(passphrase.value, confirmation.value))
      }
      noValidate
    >
      <p>{t('popup_lock_explain')}</p>
      <p class="notice">{t('popup_lock_warning')}</p>
      <SecretField label={t('popup_lock_passphrase')} secret={passphrase} autocomplete="new-password" aria-describedby={describedBy} />
      <SecretField label={t('popup_lock_confirm')} secret={confirmation} autocomplete="new-password" aria-describedby={describedBy} />
      <IdleChoice value={idle} onChoose={setIdle} />
      <FormAlert id={errorId} error={error} />
      <SubmitRow busy={busy} label={t('popup_lock_enable')} busyLabel={t('popup_lock_enabling')} />
    </form>
  );
}

export function ChangeForm({ send, onChanged, onCancel }: { send: Send; onChanged(status: LockStatus): void; onCancel(): void }) {
  const current = useSecret();
  const next = useSecret();
  const confirmation = useSecret();
  const { busy, error, errorId, describedBy, submit } = useLockRequest();
  return (
    <form
      onSubmit={(event) => submit(event, () => send({ type: 'lock.change', current: current.value, next: next.value }), onChanged, newPassphraseProblem(next.value, confirmation.value))}
      noValidate
    >
      <SecretField label={t('popup_lock_current')} secret={current} autocomplete="current-password" aria-describedby={describedBy} focus />
      <SecretField label={t('popup_lock_new')} secret={next} autocomplete="new-password" aria-describedby={describedBy} />
      <SecretField label={t('popup_lock_confirm_new')} secret={confirmation} autocomplete="new-password" aria-describedby={describedBy} />
      <FormAlert id={errorId} error={error} />
      <SubmitRow busy={busy} label={t('popup_lock_change')}>
        <SideButton label={t('popup_cancel')} busy={busy} onClick={onCancel} />
      </SubmitRow>
    </form>
  );
}

export function RemoveForm({ send, onRemoved, onCancel }: { send: Send; onRemoved(status: LockStatus): void; onCancel(): void }) {
  const passphrase = useSecret();
  const { busy, error, errorId, describedBy, submit } = useLockRequest();
  return (
    <form onSubmit={(event) => submit(event, () => send({ type: 'lock.disable', passphrase: passphrase.value }), onRemoved)} noValidate>
      <p>{t('popup_lock_remove_explain')}</p>
      <SecretField label={t('popup_lock_passphrase')} secret={passphrase} autocomplete="current-password" aria-describedby={describedBy} focus />
      <FormAlert id={errorId} error={error} />
      <SubmitRow busy={busy} label={t('popup_lock_remove')} danger>
        <SideButton label={t('popup_cancel')} busy={busy} onClick={onCancel} />
      </SubmitRow>
    </form>
  );
}
