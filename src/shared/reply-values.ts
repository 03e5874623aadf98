// What the protocol's replies carry (messages.ts): an account, a single sign-on flow, the lock, as
// the popup shows them, and the credentials a content script receives.
import type { ErrorInfo } from './error-info';

/** What a content script receives. */
export interface Credentials {
  realm: string;
  email: string;
  apiKey: string;
  userId: number;
}

/**
 * What the last check of an account's key found. Anything but 'valid' means the realm refused the
 * key (HTTP 401): 'invalid' for a revoked or unknown key, or one that now belongs to someone else.
 */
export type CredentialStatus = 'valid' | 'invalid' | 'user-deactivated' | 'realm-deactivated';

/** An account as the popup shows it: never the key. */
export interface AccountSummary {
  realmUrl: string;
  realmName: string;
  realmIconUrl: string | null;
  email: string;
  userId: number;
  zulipVersion: string;
  featureLevel: number;
  addedAt: number;
  credentialStatus: CredentialStatus;
  /** When the realm was last asked about the key (epoch ms), whatever it answered; null if never. */
  checkedAt: number | null;
  /** The organization's default account: what credentials.get answers when no email or userId is given. */
  isDefault: boolean;
}

/** A single sign-on flow as the popup shows it: never its one-time pad. */
export interface SsoFlowSummary {
  realmUrl: string;
  realmName: string;
  methodDisplayName: string;
  startedAt: number;
  /** When the background gives up waiting (epoch ms). */
  deadline: number;
}

/** How a way in (a password sign-in, single sign-on) ended; `realmUrl` is the organization it was for. */
export type SignInOutcome =
  | { ok: true; account: AccountSummary; replaced: AccountSummary | null }
  | { ok: false; realmUrl: string; error: ErrorInfo };

/** How a single sign-on flow ended. */
export type SsoOutcome = SignInOutcome;

/** The passphrase lock as the popup shows it. */
export interface LockStatus {
  enabled: boolean;
  /** Enabled and not unlocked: no key can be read. */
  locked: boolean;
  idleMinutes: number;
  /** After too many wrong passphrases: when (epoch ms) the next attempt is allowed; null if now. */
  retryAt: number | null;
}
