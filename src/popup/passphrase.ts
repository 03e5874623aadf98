// What the popup checks in a new passphrase before sending it (the background checks the length again).
import type { MessageKey } from '../shared/i18n';

export const MIN_PASSPHRASE_LENGTH = 8;

/** The idle times offered, in minutes. */
export const IDLE_CHOICES = [1, 5, 15, 60, 240];

export function newPassphraseProblem(passphrase: string, confirmation: string): MessageKey | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return 'popup_lock_too_short';
  if (passphrase !== confirmation) return 'popup_lock_mismatch';
  return null;
}
