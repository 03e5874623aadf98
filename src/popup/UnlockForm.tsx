// Shown instead of the account list while the keys are locked.
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { LockStatus } from '../shared/reply-values';
import type { Send } from './add-account';
import { t } from './i18n';
import { FormAlert } from './FormAlert';
import './forms.css';

interface Props {
  send: Send;
  onUnlocked(status: LockStatus): void;
}

export function UnlockForm({ send, onUnlocked }: Props) {
  const fieldId = useId();
  const errorId = useId();
  const fieldRef = useRef<HTMLInputElement>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useLayoutEffect(() => fieldRef.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || passphrase === '') return;
    setBusy(true);
    setError(null);
    const reply = await send({ type: 'lock.unlock', passphrase });
    setBusy(false);
    // Typed again after a refusal, as a password would be.
    setPassphrase('');
    if (reply.ok) {
      onUnlocked(reply.lock);
      return;
    }
    setError(reply.error.message);
    fieldRef.current?.focus();
  };

  return (
    <section class="view" aria-labelledby="locked-heading">
      <h1 id="locked-heading">{t('popup_locked_heading')}</h1>
      <p class="intro">{t('popup_locked_intro')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label for={fieldId}>{t('popup_lock_passphrase')}</label>
        <input
          id={fieldId}
          ref={fieldRef}
          type="password"
          autocomplete="current-password"
          value={passphrase}
          aria-describedby={error ? errorId : undefined}
          onInput={(event) => setPassphrase(event.currentTarget.value)}
        />
        <FormAlert id={errorId} error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
            {busy ? t('popup_unlocking') : t('popup_unlock')}
          </button>
        </div>
      </form>
    </section>
  );
}
