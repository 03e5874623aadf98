// The views a person reaches after the first one, each loaded when wanted: the popup's first view
// appears sooner without their code. Not among them: the account list and the server step that Add
// account opens, which must take the keys typed right after Enter. The popup waits for a view's
// code before it shows the view (App.tsx), so that its field is focused as it appears.
import { lazyView, type LazyView } from './lazy-view';
import type { View } from './view';

export const UnlockView = lazyView(() => import('./UnlockForm').then((module) => module.UnlockForm));
export const SettingsView = lazyView(() => import('./Settings').then((module) => module.Settings));
export const SignInView = lazyView(() => import('./SignInStep').then((module) => module.SignInStep));
export const SsoWaitingView = lazyView(() => import('./SsoWaiting').then((module) => module.SsoWaiting));
export const ApiKeyView = lazyView(() => import('./ApiKeyPanel').then((module) => module.ApiKeyPanel));
export const ConfirmRemoveView = lazyView(() => import('./ConfirmRemove').then((module) => module.ConfirmRemove));

export const LATER_VIEWS = [UnlockView, SettingsView, SignInView, SsoWaitingView, ApiKeyView, ConfirmRemoveView];

const LATER: Partial<Record<View['kind'], Pick<LazyView<never>, 'load'>>> = { locked: UnlockView, settings: SettingsView, signin: SignInView, sso: SsoWaitingView };

/** What to await before `view` can render at once: its code, when it is one of the views above. */
export const codeFor = (view: View): Promise<void> | undefined => LATER[view.kind]?.load();
