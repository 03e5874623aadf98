/**
 * The organization icon to load, or null. Servers may send a path relative to the realm; anything
 * that does not end up http(s) (data:, javascript:, file:) is not loaded.
 */
export function safeIconUrl(iconUrl: string | null, realmUrl: string): string | null {
  if (!iconUrl) return null;
  try {
    const url = new URL(iconUrl, realmUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
