// t() reads each message once and fills in its substitutions itself: the answers must be the browser's
// (public/_locales/en/messages.json).
import { expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { t } from './i18n';

it('answers as browser.i18n.getMessage does, however often and with whatever substitutions', () => {
  for (const [email, org] of [
    ['iago@zulip.com', 'Zulip Dev'],
    ['desdemona@zulip.com', 'Other $1 org $$'],
    ['', '\ue000'],
  ] as const) {
    expect(t('popup_check_label', email, org)).toBe(`Check ${email} at ${org}`);
    // Inserted as they are, "$" and all, as the browsers insert substitutions.
    expect(t('popup_signed_in', org, email)).toBe(`Signed in to ${org} as ${email}.`);
  }
  expect(t('popup_check')).toBe(browser.i18n.getMessage('popup_check'));
});

it('answers a key missing from every locale with the key itself', () => {
  expect(t('no_such_message' as never)).toBe('no_such_message');
  expect(t('no_such_message' as never, 'a')).toBe('no_such_message');
});
