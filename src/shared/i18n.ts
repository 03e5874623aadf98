// The only way the popup and the zuliprc tab reach translated strings, so that every key is checked
// against the English catalogue at compile time (the import is type-only: nothing of the JSON is bundled).
import { extensionApi } from './extension-api';
import type catalogue from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof catalogue;
export type Translate = (key: MessageKey, ...substitutions: string[]) => string;

// Each message is read from the browser once, with stand-ins (private-use characters) where its
// substitutions go, and filled in here: a list of 100 accounts asks for its labels hundreds of
// times, and each call into the browser costs microseconds (milliseconds per list in Firefox).
const FIRST_STAND_IN = 0xe000;
const templates = new Map<string, string>();

export const t: Translate = (key, ...substitutions) => {
  const id = `${key} ${substitutions.length}`;
  let template = templates.get(id);
  if (template === undefined) {
    template = extensionApi().i18n.getMessage(
      key,
      substitutions.map((_, index) => String.fromCharCode(FIRST_STAND_IN + index)),
    );
    templates.set(id, template);
  }
  // An empty answer means the key is missing from the user's locale and from the default one;
  // the key itself is more useful to a bug report than a blank.
  if (template === '') return key;
  return substitutions.length === 0
    ? template
    : template.replace(/[\ue000-\ue008]/g, (standIn) => substitutions[standIn.charCodeAt(0) - FIRST_STAND_IN] ?? standIn);
};

export const uiLanguage = (): string => extensionApi().i18n.getUILanguage();

export function applyDocumentLanguage(root: HTMLElement = document.documentElement): void {
  root.lang = uiLanguage();
  // Chrome and Firefox both predefine @@bidi_dir from the UI locale.
  root.dir = extensionApi().i18n.getMessage('@@bidi_dir') || 'ltr';
}
