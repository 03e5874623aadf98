// The settings view: the passphrase lock. Off, it offers to require a passphrase, warning first
// that a forgotten one cannot be recovered; on, Lock now, the idle time, and forms to change or
// remove the passphrase (LockForms.tsx).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { LockStatus } from '../shared/reply-values';
import type { Reply } from '../shared/messages';
import type { Send } from '../shared/message-client';
import { t } from '../shared/i18n';
import { FormAlert } from './FormAlert';
import { SideButton } from './FormActions';
import { IdleChoice } from './IdleChoice';
import { ChangeForm, EnableForm, RemoveForm } from './LockForms';
import { useLockRequest } from './use-lock-request';
import './forms.css';

interface Props {
  send: Send;
  status: LockStatus;
  /** The lock changed; `message` is the news for the status line. */
  onChanged(status: LockStatus, message: string): void;
  onBack(): void;
}

type Mode = 'main' | 'change' | 'remove';

export function Settings({ send, status, onChanged, onBack }: Props) {
  const [mode, setMode] = useState<Mode>('main');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => headingRef.current?.focus(), []);
  const done = (message: string) => (next: LockStatus) => {
    setMode('main');
    onChanged(next, message);
  };
  const toMain = () => setMode('main');

  let body;
  if (!status.enabled) body = <EnableForm send={send} idleMinutes={status.idleMinutes} onEnabled={done(t('popup_lock_enabled'))} />;
  else if (mode === 'change') body = <ChangeForm send={send} onChanged={done(t('popup_lock_changed'))} onCancel={toMain} />;
  else if (mode === 'remove') body = <RemoveForm send={send} onRemoved={done(t('popup_lock_removed'))} onCancel={toMain} />;
  else body = <LockOn send={send} status={status} onChanged={onChanged} onChange={() => setMode('change')} onRemove={() => setMode('remove')} />;

  return (
    <section class="view" aria-labelledby="settings-heading">
      <h1 id="settings-heading" ref={headingRef} tabIndex={-1}>
        {t('popup_settings')}
      </h1>
      <h2>{t('popup_lock_heading')}</h2>
      {body}
      {mode === 'main' && (
        <div class="actions">
          <SideButton onClick={onBack} />
        </div>
      )}
    </section>
  );
}

function LockOn(props: { send: Send; status: LockStatus; onChanged(status: LockStatus, message: string): void; onChange(): void; onRemove(): void }) {
  const { error, errorId, request } = useLockRequest();
  const change = (message: string, send: () => Promise<Reply<'lock.status'>>) => request(send, (next) => props.onChanged(next, message));
  return (
    <>
      <p>{t('popup_lock_on')}</p>
      <IdleChoice value={props.status.idleMinutes} onChoose={(idleMinutes) => change(t('popup_lock_idle_saved'), () => props.send({ type: 'lock.setIdle', idleMinutes }))} />
      <FormAlert id={errorId} error={error} />
      <div class="actions">
        <button type="button" class="primary" onClick={() => change(t('popup_locked_now'), () => props.send({ type: 'lock.lockNow' }))}>
          {t('popup_lock_now')}
        </button>
        <SideButton label={t('popup_lock_change')} onClick={props.onChange} />
        <SideButton label={t('popup_lock_remove')} onClick={props.onRemove} />
      </div>
    </>
  );
}
