// Download zuliprc: the popup opens a tab of the extension's own that saves the file
// (src/export/). The popup cannot save it itself: every browser closes the popup when a file
// dialog (another window) takes the focus, and a download the popup started would go with it.
import { extensionApi } from '../shared/extension-api';
import { zuliprcPagePath, type ZuliprcTarget } from '../shared/zuliprc-page';

export async function openZuliprcPage({ realmUrl, userId }: ZuliprcTarget): Promise<void> {
  const { tabs, runtime } = extensionApi();
  await tabs.create({ url: runtime.getURL(zuliprcPagePath({ realmUrl, userId })) });
}
