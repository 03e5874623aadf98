import { describe, expect, it, vi } from 'vitest';
import { createHostPermissions, patternsCover, promptClosesPopup, type PermissionsLike } from './host-permission';

function fakePermissions(granted: string[], answer: boolean | 'throw' | 'reject' = true) {
  const calls: string[] = [];
  const api: PermissionsLike = {
    contains: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.includes(o))),
    request: vi.fn(({ origins }: { origins: string[] }) => {
      calls.push('request');
      if (answer === 'throw') throw new Error('Only permissions specified in the manifest may be requested.');
      if (answer === 'reject') return Promise.reject(new Error('may only be called from a user input handler'));
      if (answer) granted.push(...origins);
      return Promise.resolve(answer);
    }),
    getAll: vi.fn(async () => ({ origins: [...granted] })),
  };
  return { api, calls };
}

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

describe('createHostPermissions', () => {
  it('does not ask for what getAll says is held', async () => {
    const { api } = fakePermissions(['https://chat.example.com/*']);
    const permissions = createHostPermissions(api);
    await permissions.refresh();
    const beforePrompt = vi.fn();
    await expect(permissions.ensure('https://chat.example.com/*', beforePrompt)).resolves.toBe('granted');
    expect(api.request).not.toHaveBeenCalled();
    expect(beforePrompt).not.toHaveBeenCalled();
  });

  it('asks synchronously, after beforePrompt, so that the click still counts as user input', async () => {
    const { api, calls } = fakePermissions([]);
    const permissions = createHostPermissions(api);
    await permissions.refresh();
    const pending = permissions.ensure('https://chat.example.com/*', () => calls.push('beforePrompt'));
    // Nothing has been awaited yet.
    expect(calls).toEqual(['beforePrompt', 'request']);
    expect(api.request).toHaveBeenCalledWith({ origins: ['https://chat.example.com/*'] });
    await expect(pending).resolves.toBe('granted');
    // The new grant is remembered without waiting for onAdded.
    await expect(permissions.ensure('https://chat.example.com/*')).resolves.toBe('granted');
    expect(api.request).toHaveBeenCalledTimes(1);
  });

  it('asks when the granted origins could not be read', async () => {
    const { api } = fakePermissions(['https://chat.example.com/*']);
    const permissions = createHostPermissions({ contains: api.contains, request: api.request });
    await permissions.refresh();
    await expect(permissions.ensure('https://chat.example.com/*')).resolves.toBe('granted');
    expect(api.request).toHaveBeenCalledTimes(1);
  });

  it('reports a refusal', async () => {
    const { api } = fakePermissions([], false);
    const permissions = createHostPermissions(api);
    await permissions.refresh();
    await expect(permissions.ensure('https://chat.example.com/*')).resolves.toBe('denied');
  });

  it('reports a request that throws or rejects', async () => {
    for (const answer of ['throw', 'reject'] as const) {
      const permissions = createHostPermissions(fakePermissions([], answer).api);
      await permissions.refresh();
      await expect(permissions.ensure('https://chat.example.com/*')).resolves.toBe('failed');
    }
  });

  it('answers holds() from contains, and false when that fails', async () => {
    const { api } = fakePermissions(['http://localhost/*']);
    const permissions = createHostPermissions(api);
    await expect(permissions.holds('http://localhost/*')).resolves.toBe(true);
    await expect(permissions.holds('https://chat.example.com/*')).resolves.toBe(false);
    const broken = createHostPermissions({ ...api, contains: () => Promise.reject(new Error('gone')) });
    await expect(broken.holds('http://localhost/*')).resolves.toBe(false);
  });
});

describe('promptClosesPopup', () => {
  it('is true for Chromium-based browsers, whose prompt closes the popup, and false for Firefox, whose does not', () => {
    expect(promptClosesPopup('chrome-extension://abcdefghijklmnopabcdefghijklmnop/')).toBe(true);
    expect(promptClosesPopup('moz-extension://4b1d6c0e-3a5f-4e7b-9c2d-1f0e8a7b6c5d/')).toBe(false);
  });
});
