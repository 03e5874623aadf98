// The zuliprc tab: the popup opens it for one account (see src/shared/zuliprc-page.ts); it saves
// the file at once, says so, and offers to save it again.
import browser from 'webextension-polyfill';
import { send } from '../shared/message-client';
import { provideExtensionApi } from '../shared/extension-api';
import { zuliprcPageTarget } from '../shared/zuliprc-page';
import { applyDocumentLanguage, t } from '../shared/i18n';
import type { AccountSummary } from '../shared/reply-values';
import { accountOfPage, saveZuliprc, type ZuliprcDeps } from './download-zuliprc';
import { saveTextFile } from './save-file';

provideExtensionApi(browser);
applyDocumentLanguage();
document.title = t('export_title');

const element = (id: string) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`zuliprc.html lacks #${id}`);
  return found;
};
const heading = element('heading');
const status = element('status');
const error = element('error');
const hint = element('hint');
const again = element('again') as HTMLButtonElement;

heading.textContent = t('export_title');
again.textContent = t('export_again');
hint.textContent = t('export_hint');

const deps: ZuliprcDeps = { send, t, save: (filename, text) => saveTextFile(document, filename, text) };

function showProblem(message: string) {
  status.textContent = '';
  error.textContent = message;
  error.hidden = false;
}

async function save(account: AccountSummary) {
  error.hidden = true;
  status.textContent = t('export_working');
  const outcome = await saveZuliprc(account, deps);
  if (outcome.ok) status.textContent = outcome.message;
  else showProblem(outcome.message);
  again.hidden = false;
}

void (async () => {
  const found = await accountOfPage(zuliprcPageTarget(location.search), deps);
  if ('message' in found) {
    showProblem(found.message);
    return;
  }
  heading.textContent = t('export_heading', found.account.email, found.account.realmName);
  hint.hidden = false;
  again.addEventListener('click', () => void save(found.account));
  await save(found.account);
})();
