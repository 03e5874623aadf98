// Download zuliprc: the popup opens a tab of the extension's own that saves the file
// (src/export/). The popup cannot save it itself: Firefox closes the popup when a file dialog
// opens, and a download the popup started would go with it.
import browser from 'webextension-polyfill';
import { zuliprcPagePath, type ZuliprcTarget } from '../shared/zuliprc-page';

export async function openZuliprcPage({ realmUrl, userId }: ZuliprcTarget): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(zuliprcPagePath({ realmUrl, userId })) });
}
