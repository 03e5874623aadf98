// Who sent a message. Extension pages are recognised by the origin of their URL, never by a
// missing `tab`: the popup opened in a tab has one too. Anything unclear is treated as foreign.
import { originOf } from '../../shared/realm-url';
import type { SenderKind } from '../handlers/handler';

export interface MessageSenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: unknown;
  frameId?: number;
}

/** `extensionBaseUrl` is runtime.getURL(''), e.g. "chrome-extension://<id>/" or "moz-extension://<uuid>/". */
export function classifySender(sender: MessageSenderLike, extensionId: string, extensionBaseUrl: string): SenderKind {
  if (sender.id !== extensionId || typeof sender.url !== 'string') return { kind: 'foreign' };
  // Compared as text: URL parsers disagree on the origin of non-web schemes.
  const extensionOrigin = extensionBaseUrl.replace(/\/$/, '');
  if (sender.url.startsWith(extensionBaseUrl)) {
    return sender.origin === undefined || sender.origin === extensionOrigin ? { kind: 'extension-page' } : { kind: 'foreign' };
  }
  // A content script always runs in a tab, and its requests are counted per tab.
  const tabId = typeof sender.tab === 'object' && sender.tab !== null ? (sender.tab as { id?: unknown }).id : undefined;
  if (typeof tabId !== 'number' || !Number.isSafeInteger(tabId) || tabId < 0) return { kind: 'foreign' };
  const origin = originOf(sender.url);
  // Chromium also reports the document's origin; when it disagrees with the URL (about:blank,
  // sandboxed or opaque documents) nobody is entitled to anything.
  if (origin === null || (sender.origin !== undefined && sender.origin !== origin)) return { kind: 'foreign' };
  return { kind: 'content-script', origin, topFrame: sender.frameId === 0, tabId };
}
