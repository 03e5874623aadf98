import { describe, expect, it } from 'vitest';
import catalogue from '../../public/_locales/en/messages.json' with { type: 'json' };
import { createMessageClient } from './message-client';

const interrupted = catalogue.error_background_unreachable.message;

describe('message client', () => {
  it('passes a reply through', async () => {
    const send = createMessageClient(async () => ({ ok: true, accounts: [] }));
    await expect(send({ type: 'accounts.list' })).resolves.toEqual({ ok: true, accounts: [] });
  });

  // How both browsers end a request whose background was stopped (checked in test/e2e/restart.e2e.test.ts).
  it('turns a rejected send (the background stopped before it replied) into the retryable error', async () => {
    const send = createMessageClient(() => Promise.reject(new Error('The message port closed before a response was received.')));
    await expect(send({ type: 'accounts.list' })).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: interrupted } });
  });

  it('treats a send that resolves without a reply (no listener answered) the same way', async () => {
    const send = createMessageClient(async () => undefined);
    await expect(send({ type: 'accounts.list' })).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: interrupted } });
  });

  it('the retryable error asks to try again and does not claim that anything was saved or lost', () => {
    expect(interrupted).toMatch(/try again/i);
    expect(interrupted).not.toMatch(/saved|stored|added|removed|lost|nothing/i);
  });
});
