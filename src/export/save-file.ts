// Saves text as a file through the browser's own download handling: a Blob object URL and an
// <a download>, from an extension page in a tab, which stays open while the browser saves (every
// browser closes the toolbar popup when a file dialog takes the focus, and the popup's blob with it).
// Not downloads.download: it needs the "downloads" permission, an install warning in Chrome
// ("Manage your downloads"), and Chrome's service worker could not make the blob URL anyway. Not a
// data: URL: the key would be in a URL.

/** Firefox reads the blob after click() returns; after this the URL no longer opens the file. */
const REVOKE_AFTER_MS = 60_000;

export function saveTextFile(document: Document, filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  // In the document: older Firefox ignored click() on a detached link.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
