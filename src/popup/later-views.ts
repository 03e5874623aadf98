// The views a person reaches after the first one (the account list), each loaded when wanted: the
// popup's first view appears sooner without their code. The unlock form and the add-account steps
// can be a first view too (locked; a draft to resume): the popup then waits for their code before
// it shows anything (App.tsx).
import { lazyView } from './lazy-view';

export const UnlockView = lazyView(() => import('./UnlockForm').then((module) => module.UnlockForm));
export const SettingsView = lazyView(() => import('./Settings').then((module) => module.Settings));
export const ServerView = lazyView(() => import('./ServerStep').then((module) => module.ServerStep));
export const SignInView = lazyView(() => import('./SignInStep').then((module) => module.SignInStep));
export const SsoWaitingView = lazyView(() => import('./SsoWaiting').then((module) => module.SsoWaiting));
export const ApiKeyView = lazyView(() => import('./ApiKeyPanel').then((module) => module.ApiKeyPanel));
export const ConfirmRemoveView = lazyView(() => import('./ConfirmRemove').then((module) => module.ConfirmRemove));

export const LATER_VIEWS = [UnlockView, SettingsView, ServerView, SignInView, SsoWaitingView, ApiKeyView, ConfirmRemoveView];
