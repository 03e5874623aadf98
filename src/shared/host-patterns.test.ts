import { describe, expect, it } from 'vitest';
import { patternsCover } from './host-patterns';

describe('patternsCover', () => {
  it('matches the same host and scheme', () => {
    expect(patternsCover(['https://chat.example.com/*'], 'https://chat.example.com/*')).toBe(true);
    expect(patternsCover(['https://CHAT.example.com/*'], 'https://chat.example.com/*')).toBe(true);
    expect(patternsCover(['http://chat.example.com/*'], 'https://chat.example.com/*')).toBe(false);
    expect(patternsCover(['https://other.example.com/*'], 'https://chat.example.com/*')).toBe(false);
  });

  it('understands wildcards', () => {
    expect(patternsCover(['https://*/*'], 'https://chat.example.com/*')).toBe(true);
    expect(patternsCover(['https://*/*'], 'http://localhost/*')).toBe(false);
    expect(patternsCover(['*://*.example.com/*'], 'https://chat.example.com/*')).toBe(true);
    expect(patternsCover(['*://*.example.com/*'], 'https://example.com/*')).toBe(true);
    expect(patternsCover(['*://*.example.com/*'], 'https://badexample.com/*')).toBe(false);
    expect(patternsCover(['<all_urls>'], 'http://[::1]/*')).toBe(true);
    expect(patternsCover(['http://[::1]/*'], 'http://[::1]/*')).toBe(true);
  });

  it('does not count a grant for part of a host', () => {
    expect(patternsCover(['https://chat.example.com/api/*'], 'https://chat.example.com/*')).toBe(false);
  });
});
