// How long the keys stay unlocked without use, chosen from a list.
import { useId } from 'preact/hooks';
import { t } from '../shared/i18n';
import { IDLE_CHOICES } from './passphrase';

function idleLabel(minutes: number): string {
  if (minutes === 1) return t('popup_lock_idle_one_minute');
  if (minutes === 60) return t('popup_lock_idle_one_hour');
  if (minutes > 60 && minutes % 60 === 0) return t('popup_lock_idle_hours', String(minutes / 60));
  return t('popup_lock_idle_minutes', String(minutes));
}

export function IdleChoice({ value, onChoose }: { value: number; onChoose(minutes: number): void }) {
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
