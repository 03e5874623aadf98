// Download zuliprc: the popup opens a tab of the extension's own that saves the file
// (src/export/). The popup cannot save it itself: every browser closes the popup when a file
// dialog (another window) takes the focus, and a download the popup started would go with it.
import browser from 'webextension-polyfill';
import { zuliprcPagePath, type ZuliprcTarget } from '../shared/zuliprc-page';

export async function openZuliprcPage({ realmUrl, userId }: ZuliprcTarget): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(zuliprcPagePath({ realmUrl, userId })) });
}
