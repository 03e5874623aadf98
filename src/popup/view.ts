// The popup's views, as App.tsx switches between them.
import type { SsoFlowSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';

export type View =
  | { kind: 'loading' }
  | { kind: 'accounts' }
  | ServerView
  | SignInView
  | { kind: 'sso'; flow: SsoFlowSummary }
  | { kind: 'locked' }
  | { kind: 'settings' };

/** The server step. */
export interface ServerView {
  kind: 'server';
  serverUrl: string;
  /** Shown on arrival, e.g. when a permission prompt closed the popup without an answer. */
  error: string | null;
  /** An origin whose permission is already held, to look up at once (resuming after a prompt). */
  resumeOrigin: string | null;
}

/** The sign-in step, at an organization found by the server step. */
export interface SignInView {
  kind: 'signin';
  serverUrl: string;
  /** The origin typed at the server step. */
  origin: string;
  realm: RealmInfo;
  /** The username to start from. */
  username: string;
  /** Shown on arrival, by the password form. */
  error: string | null;
  /** How the last single sign-on for this organization failed, shown by its buttons. */
  ssoError?: string | null;
  /** The username is known (signing in again): the password is what is left to type. */
  focusPassword?: boolean;
}
