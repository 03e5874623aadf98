import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { createContentScriptRegistry } from './content-script-registry';

const registry = () => createContentScriptRegistry(browser.scripting as never, 'content-script.js');
const registered = async () => (await browser.scripting.getRegisteredContentScripts()).map((s) => ({ id: s.id, matches: s.matches, allFrames: s.allFrames, persist: s.persistAcrossSessions }));

describe('content script registry', () => {
  it('registers one persistent top-frame script per realm host', async () => {
    await registry().sync(async () => ['https://chat.example.com', 'http://127.0.0.1:9991']);
    expect(await registered()).toEqual([
      { id: 'realm https://chat.example.com/*', matches: ['https://chat.example.com/*'], allFrames: false, persist: true },
      { id: 'realm http://127.0.0.1/*', matches: ['http://127.0.0.1/*'], allFrames: false, persist: true },
    ]);
  });

  it('shares one script between realms on one host with different ports', async () => {
    await registry().sync(async () => ['http://127.0.0.1:9991', 'http://127.0.0.1:9992']);
    expect((await registered()).map((s) => s.id)).toEqual(['realm http://127.0.0.1/*']);
  });

  it('unregisters the script when the last realm of its host goes, and leaves others alone', async () => {
    await browser.scripting.registerContentScripts([{ id: 'unrelated', matches: ['https://x.example/*'], js: ['x.js'] }]);
    await registry().sync(async () => ['https://a.example.com', 'https://b.example.com']);
    await registry().sync(async () => ['https://b.example.com']);
    expect((await registered()).map((s) => s.id).sort()).toEqual(['realm https://b.example.com/*', 'unrelated']);
  });

  it('is idempotent: syncing twice registers nothing twice', async () => {
    await registry().sync(async () => ['https://a.example.com']);
    await expect(registry().sync(async () => ['https://a.example.com'])).resolves.toBeUndefined();
    expect(await registered()).toHaveLength(1);
  });

  it('runs overlapping syncs one after another, each with the realms as they are when its turn comes', async () => {
    const shared = registry();
    let realms = ['https://a.example.com'];
    const current = async () => realms;
    const first = shared.sync(current);
    const second = shared.sync(current);
    realms = ['https://b.example.com'];
    const third = shared.sync(async () => ['https://a.example.com', 'https://b.example.com']);
    const fourth = shared.sync(current);
    await expect(Promise.all([first, second, third, fourth])).resolves.toEqual([undefined, undefined, undefined, undefined]);
    expect((await registered()).map((s) => s.id)).toEqual(['realm https://b.example.com/*']);
  });

  it('overlapping syncs (the restore at start and a sign-in) register each script once, without failing', async () => {
    const shared = registry();
    await expect(Promise.all([shared.sync(async () => ['https://a.example.com']), shared.sync(async () => ['https://a.example.com', 'https://b.example.com'])])).resolves.toEqual([
      undefined,
      undefined,
    ]);
    expect((await registered()).map((s) => s.id)).toEqual(['realm https://a.example.com/*', 'realm https://b.example.com/*']);
  });
});
