// The download as the page hands it to the browser: a link with the file's name to a blob that holds the text.
import { resolveObjectURL } from 'node:buffer';
import { Window } from 'happy-dom';
import { afterEach, expect, it, vi } from 'vitest';
import { saveTextFile } from './save-file';

afterEach(() => vi.useRealTimers());

it('clicks a download link to a blob of the text, takes the link out again, and revokes the blob after a minute', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  const window = new Window({ url: 'chrome-extension://id/src/export/zuliprc.html' });
  const document = window.document as unknown as Document;
  const clicked: Array<{ href: string; download: string; inDocument: boolean }> = [];
  document.addEventListener('click', (event) => {
    const link = event.target as HTMLAnchorElement;
    clicked.push({ href: link.href, download: link.download, inDocument: link.isConnected });
    event.preventDefault();
  });

  saveTextFile(document, 'zuliprc', '[api]\nemail=iago@zulip.com\n');

  expect(clicked).toHaveLength(1);
  const [{ href, download, inDocument }] = clicked as [(typeof clicked)[number]];
  expect({ download, inDocument, blob: href.startsWith('blob:') }).toEqual({ download: 'zuliprc', inDocument: true, blob: true });
  expect(await resolveObjectURL(href)?.text()).toBe('[api]\nemail=iago@zulip.com\n');
  expect(resolveObjectURL(href)?.type).toBe('application/octet-stream');
  expect(document.querySelector('a')).toBeNull();
  vi.advanceTimersByTime(59_999);
  expect(resolveObjectURL(href)).toBeDefined();
  vi.advanceTimersByTime(1);
  expect(resolveObjectURL(href)).toBeUndefined();
  await window.happyDOM.close();
});
