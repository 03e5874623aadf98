import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import type { AccountSummary } from '../shared/reply-values';
import { t } from '../shared/i18n';
import './forms.css';
import './confirm-remove.css';

interface Props {
  account: AccountSummary;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/** Inline rather than modal: the popup is too small for an overlay, and the list stays readable. */
export function ConfirmRemove({ account, busy, error, onConfirm, onCancel }: Props) {
  const textId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Cancel first: the destructive choice must be deliberate. Layout effects move focus before the
  // next key press can land on the old element.
  useLayoutEffect(() => cancelRef.current?.focus(), []);

  return (
    <div
      class="confirm"
      role="alertdialog"
      aria-labelledby={textId}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) {
          // A handled Escape closes only the question; the browser would otherwise close the popup.
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <p id={textId}>{t('popup_remove_confirm', account.email, account.realmName)}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="danger" disabled={busy} aria-busy={busy} onClick={() => !busy && onConfirm()}>
          {busy ? t('popup_removing') : t('popup_remove_confirm_button')}
        </button>
        <button type="button" ref={cancelRef} disabled={busy} onClick={onCancel}>
          {t('popup_cancel')}
        </button>
      </div>
    </div>
  );
}
