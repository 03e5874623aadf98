// The settings view: the passphrase lock. Off, it offers to require a passphrase, warning first
// that a forgotten one cannot be recovered; on, Lock now, the idle time, and forms to change or
// remove the passphrase.
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Reply } from '../shared/messages';
import type { LockStatus } from '../shared/reply-values';
import type { Send } from './add-account';
import { t } from './i18n';
import { IDLE_CHOICES, newPassphraseProblem } from './passphrase';
import { FormAlert } from './FormAlert';
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
  const done = (next: LockStatus, message: string) => {
    setMode('main');
    onChanged(next, message);
  };

  let body;
  if (!status.enabled) body = <EnableForm send={send} idleMinutes={status.idleMinutes} onEnabled={(next) => done(next, t('popup_lock_enabled'))} />;
  else if (mode === 'change') body = <ChangeForm send={send} onChanged={(next) => done(next, t('popup_lock_changed'))} onCancel={() => setMode('main')} />;
  else if (mode === 'remove') body = <RemoveForm send={send} onRemoved={(next) => done(next, t('popup_lock_removed'))} onCancel={() => setMode('main')} />;
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
          <button type="button" onClick={onBack}>
            {t('popup_back')}
          </button>
        </div>
      )}
    </section>
  );
}

function idleLabel(minutes: number): string {
  if (minutes === 1) return t('popup_lock_idle_one_minute');
  if (minutes === 60) return t('popup_lock_idle_one_hour');
  if (minutes > 60 && minutes % 60 === 0) return t('popup_lock_idle_hours', String(minutes / 60));
  return t('popup_lock_idle_minutes', String(minutes));
}

function IdleChoice({ value, onChoose }: { value: number; onChoose(minutes: number): void }) {
  const id = useId();
  // A time set by a request rather than this list (the end-to-end tests' seconds) is shown too.
  const choices = IDLE_CHOICES.includes(value) ? IDLE_CHOICES : [...IDLE_CHOICES, value].sort((a, b) => a - b);
  return (
    <>
      <label for={id}>{t('popup_lock_idle')}</label>
      <select id={id} value={String(value)} onChange={(event) => onChoose(Number(event.currentTarget.value))}>
        {choices.map((minutes) => (
          <option key={minutes} value={String(minutes)}>
            {idleLabel(minutes)}
          </option>
        ))}
      </select>
    </>
  );
}

/** A labelled password field. */
function PassphraseInput(props: { label: string; value: string; autocomplete: string; describedBy: string | undefined; onInput(value: string): void; focus?: boolean }) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (props.focus) ref.current?.focus();
  }, []);
  return (
    <>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        ref={ref}
        type="password"
        autocomplete={props.autocomplete}
        value={props.value}
        aria-describedby={props.describedBy}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </>
  );
}

/** Sends a lock request once at a time; a refusal's message is the form's alert. */
function useLockRequest(onDone: (status: LockStatus) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (request: () => Promise<Reply<'lock.status'>>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const reply = await request();
    setBusy(false);
    if (reply.ok) onDone(reply.lock);
    else setError(reply.error.message);
  };
  return { busy, error, setError, run };
}

function EnableForm({ send, idleMinutes, onEnabled }: { send: Send; idleMinutes: number; onEnabled(status: LockStatus): void }) {
  const errorId = useId();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [idle, setIdle] = useState(idleMinutes);
  const { busy, error, setError, run } = useLockRequest(onEnabled);
  const describedBy = error ? errorId : undefined;
  const submit = (event: Event) => {
    event.preventDefault();
    const problem = newPassphraseProblem(passphrase, confirmation);
    if (problem) {
      setError(t(problem));
      return;
    }
    void run(() => send({ type: 'lock.enable', passphrase, idleMinutes: idle }));
  };
  return (
    <form onSubmit={submit} noValidate>
      <p>{t('popup_lock_explain')}</p>
      <p class="notice">{t('popup_lock_warning')}</p>
      <PassphraseInput label={t('popup_lock_passphrase')} value={passphrase} autocomplete="new-password" describedBy={describedBy} onInput={setPassphrase} />
      <PassphraseInput label={t('popup_lock_confirm')} value={confirmation} autocomplete="new-password" describedBy={describedBy} onInput={setConfirmation} />
      <IdleChoice value={idle} onChoose={setIdle} />
      <FormAlert id={errorId} error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy ? t('popup_lock_enabling') : t('popup_lock_enable')}
        </button>
      </div>
    </form>
  );
}

function LockOn(props: { send: Send; status: LockStatus; onChanged(status: LockStatus, message: string): void; onChange(): void; onRemove(): void }) {
  const errorId = useId();
  const { error, run } = useLockRequest(() => {});
  const request = (message: string, send: () => Promise<Reply<'lock.status'>>) =>
    run(async () => {
      const reply = await send();
      if (reply.ok) props.onChanged(reply.lock, message);
      return reply;
    });
  return (
    <>
      <p>{t('popup_lock_on')}</p>
      <IdleChoice value={props.status.idleMinutes} onChoose={(idleMinutes) => void request(t('popup_lock_idle_saved'), () => props.send({ type: 'lock.setIdle', idleMinutes }))} />
      <FormAlert id={errorId} error={error} />
      <div class="actions">
        <button type="button" class="primary" onClick={() => void request(t('popup_locked_now'), () => props.send({ type: 'lock.lockNow' }))}>
          {t('popup_lock_now')}
        </button>
        <button type="button" onClick={props.onChange}>
          {t('popup_lock_change')}
        </button>
        <button type="button" onClick={props.onRemove}>
          {t('popup_lock_remove')}
        </button>
      </div>
    </>
  );
}

function ChangeForm({ send, onChanged, onCancel }: { send: Send; onChanged(status: LockStatus): void; onCancel(): void }) {
  const errorId = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, error, setError, run } = useLockRequest(onChanged);
  const describedBy = error ? errorId : undefined;
  const submit = (event: Event) => {
    event.preventDefault();
    const problem = newPassphraseProblem(next, confirmation);
    if (problem) {
      setError(t(problem));
      return;
    }
    void run(() => send({ type: 'lock.change', current, next }));
  };
  return (
    <form onSubmit={submit} noValidate>
      <PassphraseInput label={t('popup_lock_current')} value={current} autocomplete="current-password" describedBy={describedBy} onInput={setCurrent} focus />
      <PassphraseInput label={t('popup_lock_new')} value={next} autocomplete="new-password" describedBy={describedBy} onInput={setNext} />
      <PassphraseInput label={t('popup_lock_confirm_new')} value={confirmation} autocomplete="new-password" describedBy={describedBy} onInput={setConfirmation} />
      <FormAlert id={errorId} error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {t('popup_lock_change')}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('popup_cancel')}
        </button>
      </div>
    </form>
  );
}

function RemoveForm({ send, onRemoved, onCancel }: { send: Send; onRemoved(status: LockStatus): void; onCancel(): void }) {
  const errorId = useId();
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, run } = useLockRequest(onRemoved);
  const submit = (event: Event) => {
    event.preventDefault();
    void run(() => send({ type: 'lock.disable', passphrase }));
  };
  return (
    <form onSubmit={submit} noValidate>
      <p>{t('popup_lock_remove_explain')}</p>
      <PassphraseInput label={t('popup_lock_passphrase')} value={passphrase} autocomplete="current-password" describedBy={error ? errorId : undefined} onInput={setPassphrase} focus />
      <FormAlert id={errorId} error={error} />
      <div class="actions">
        <button type="submit" class="danger" disabled={busy} aria-busy={busy}>
          {t('popup_lock_remove')}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('popup_cancel')}
        </button>
      </div>
    </form>
  );
}
