// The row of buttons under a form: its submit button, which says so while its request is under
// way, and the buttons beside it (Back, Cancel, another way in), held meanwhile.
import type { ComponentChildren, Ref } from 'preact';
import { t } from '../shared/i18n';

interface Props {
  busy: boolean;
  label: string;
  /** Shown instead of `label` while busy. */
  busyLabel?: string;
  danger?: boolean;
  /** Refused for now (a rate limit), though nothing is under way. */
  blocked?: boolean;
  children?: ComponentChildren;
}

export function SubmitRow({ busy, label, busyLabel = label, danger, blocked, children }: Props) {
  return (
    <div class="actions">
      <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy || blocked} aria-busy={busy}>
        {busy ? busyLabel : label}
      </button>
      {children}
    </div>
  );
}

/** Back unless labelled otherwise; held while `busy`. */
export function SideButton({ label = t('popup_back'), busy, onClick, buttonRef }: { label?: string; busy?: boolean; onClick(): void; buttonRef?: Ref<HTMLButtonElement> }) {
  return (
    <button type="button" ref={buttonRef} disabled={busy} onClick={onClick}>
      {label}
    </button>
  );
}
