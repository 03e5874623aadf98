// Whether host permissions already granted cover the one a realm needs. The popup asks this before
// it prompts, and the background when a grant arrives.

const MATCH_PATTERN = /^(\*|https?):\/\/(\*|\*\.[^/*]+|[^/*]+)(\/.*)$/i;

/** Whether any granted match pattern covers `pattern` (a `scheme://host/*` from originPermissionPattern). */
export function patternsCover(grantedPatterns: readonly string[], pattern: string): boolean {
  const wanted = MATCH_PATTERN.exec(pattern);
  if (!wanted) return false;
  const [, scheme = '', host = ''] = wanted;
  return grantedPatterns.some((granted) => {
    if (granted === '<all_urls>') return true;
    const match = MATCH_PATTERN.exec(granted);
    if (!match) return false;
    const [, grantedScheme = '', grantedHost = '', grantedPath = ''] = match;
    // Requests go to /api/v1/… and /: only a whole-host grant lets them all through.
    if (grantedPath !== '/*') return false;
    const schemeOk = grantedScheme === '*' ? /^https?$/i.test(scheme) : grantedScheme.toLowerCase() === scheme.toLowerCase();
    return schemeOk && hostMatches(grantedHost.toLowerCase(), host.toLowerCase());
  });
}

function hostMatches(grantedHost: string, host: string): boolean {
  if (grantedHost === '*') return true;
  if (grantedHost.startsWith('*.')) {
    const suffix = grantedHost.slice(2);
    return host === suffix || host.endsWith(`.${suffix}`);
  }
  return grantedHost === host;
}
