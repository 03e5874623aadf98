import { render } from 'preact';
import browser from 'webextension-polyfill';
import { send } from '../shared/message-client';
import { provideExtensionApi } from '../shared/extension-api';
import { App } from './App';
import { createDraftStore } from '../shared/popup-draft';
import type { StorageAreaLike } from '../shared/storage-area';
import { createHostPermissions, promptClosesPopup } from './host-permission';
import { applyDocumentLanguage, t } from '../shared/i18n';
import { captureTypeAhead } from './type-ahead';

// First of all: keys typed from now on are kept until the first view has a field for them.
const typeAhead = captureTypeAhead(document);

provideExtensionApi(browser);
applyDocumentLanguage();
document.title = t('extensionName');

const hostPermissions = createHostPermissions(browser.permissions, { promptClosesPopup: promptClosesPopup(browser.runtime.getURL('')) });
// Read before the first click can need it; kept fresh when a grant changes elsewhere.
void hostPermissions.refresh();
const refresh = () => void hostPermissions.refresh();
browser.permissions.onAdded?.addListener(refresh);
browser.permissions.onRemoved?.addListener(refresh);

// storage.session is missing in some browsers' popups; the draft is a convenience, not a need.
const session = (browser.storage as { session?: StorageAreaLike }).session;
const drafts = createDraftStore(session);

const root = document.getElementById('app');
if (root) render(<App deps={{ hostPermissions, drafts, send, t, typeAhead }} />, root);
