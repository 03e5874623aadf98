// Imported first by the bench builds' popups (ours through a build-time transform, the floor directly), never by
// the product: marks the module start, and the moment the popup's <main> stops being busy (for ours: the account
// list is in the DOM), which is what both popups are measured between. The mutation callback runs right after the
// render that commits the list, before the browser paints it; the paint itself is the browser's cost, the same for both.
export const MODULE_START = 'keyring-bench:module-start';
export const LIST_READY = 'keyring-bench:list-ready';

performance.mark(MODULE_START);

const isReady = () => document.querySelector('main[aria-busy="false"]') !== null;
const observer = new MutationObserver(() => {
  if (!isReady()) return;
  observer.disconnect();
  performance.mark(LIST_READY, { detail: { items: document.querySelectorAll('main li').length } });
});
observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });
