// The popup's views, and the code each needs before it can show at once.
import type { SsoFlowSummary } from '../shared/messages';
import type { RealmInfo } from '../shared/zulip/api-client';
import { SettingsView, SignInView, SsoWaitingView, UnlockView } from './later-views';
import type { LazyView } from './lazy-view';

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

const LATER: Partial<Record<View['kind'], Pick<LazyView<never>, 'load'>>> = { locked: UnlockView, settings: SettingsView, signin: SignInView, sso: SsoWaitingView };

/** What to await before `view` can render at once: a later view's code, loaded on demand (later-views.ts). */
export const codeFor = (view: View): Promise<void> | undefined => LATER[view.kind]?.load();
