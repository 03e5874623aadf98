// The popup's only way to reach translated strings, so that every key is checked against the
// English catalogue at compile time (the import is type-only: nothing of the JSON is bundled).
import browser from 'webextension-polyfill';
import type catalogue from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof catalogue;
export type Translate = (key: MessageKey, ...substitutions: string[]) => string;

export const t: Translate = (key, ...substitutions) =>
  // An empty answer means the key is missing from the user's locale and from the default one;
  // the key itself is more useful to a bug report than a blank.
  browser.i18n.getMessage(key, substitutions) || key;

export const uiLanguage = (): string => browser.i18n.getUILanguage();

export function applyDocumentLanguage(root: HTMLElement = document.documentElement): void {
  root.lang = uiLanguage();
  // Chrome and Firefox both predefine @@bidi_dir from the UI locale.
  root.dir = browser.i18n.getMessage('@@bidi_dir') || 'ltr';
}
