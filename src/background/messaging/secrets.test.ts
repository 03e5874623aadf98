// Secrets in requests (passwords, pasted keys, passphrases) are declared by their routes, and the
// router blanks what is declared once a request is answered.
import { describe, expect, it, vi } from 'vitest';
import { EXTENSION_ID, EXTENSION_ORIGIN } from '../../../test/unit/fake-browser';
import { createTestDeps } from '../../../test/unit/background-deps';
import { requestSchemas, type Request, type RequestType } from '../../shared/messages';
import type * as ParseRequest from '../../shared/parse-request';
import { createMessageRouter } from './message-router';
import { routes } from './routes';

// Every request the router parses, as the object its handler was given.
const parsed = vi.hoisted(() => [] as Request[]);
vi.mock('../../shared/parse-request', async (importOriginal) => {
  const actual = await importOriginal<typeof ParseRequest>();
  return {
    ...actual,
    parseRequest: (message: unknown) => {
      const request = actual.parseRequest(message);
      if (request) parsed.push(request);
      return request;
    },
  };
});

const SECRET_NAME = /password|passphrase|api_?key|secret|token/i;
const types = Object.keys(requestSchemas) as RequestType[];
const fieldsOf = (type: RequestType) => Object.entries(requestSchemas[type]().shape) as Array<[string, unknown]>;
const declared = (type: RequestType): readonly string[] => routes[type].secrets ?? [];

describe('secret fields', () => {
  it('are declared by the route of every request that has one', () => {
    // A field is a secret when it is named like one, or validated by the very schema a secret is
    // (lock.change's current and next are passphrases).
    const secretSchemas = new Set(types.flatMap((type) => fieldsOf(type).filter(([name]) => SECRET_NAME.test(name)).map(([, schema]) => schema)));
    const secrets = types.flatMap((type) => fieldsOf(type).filter(([name, schema]) => SECRET_NAME.test(name) || secretSchemas.has(schema)).map(([name]) => `${type} ${name}`));
    expect(secrets).toContain('account.signIn password');
    expect(secrets).toContain('lock.change next');
    expect(types.flatMap((type) => declared(type).map((name) => `${type} ${name}`)).sort()).toEqual(secrets.sort());
  });

  // One request per route that declares secrets; each ends however its handler decides.
  const samples: Partial<Record<RequestType, Record<string, unknown>>> = {
    'account.signIn': { realmUrl: 'https://chat.example.com', username: 'iago@zulip.com', password: 'a password' },
    'account.addWithKey': { realmUrl: 'https://chat.example.com', email: 'iago@zulip.com', apiKey: 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv' },
    'lock.enable': { passphrase: 'a long passphrase', idleMinutes: 15 },
    'lock.unlock': { passphrase: 'a long passphrase' },
    'lock.change': { current: 'a long passphrase', next: 'another long passphrase' },
    'lock.disable': { passphrase: 'a long passphrase' },
  };

  it.each(types.filter((type) => declared(type).length > 0))('are blanked once %s is answered', async (type) => {
    const route = createMessageRouter(createTestDeps(), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
    const sample = samples[type];
    expect(sample, 'a sample request for the test').toBeDefined();
    parsed.length = 0;
    await route({ type, ...sample }, { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/popup/popup.html` });
    expect(parsed).toHaveLength(1);
    const request = parsed[0] as unknown as Record<string, unknown>;
    for (const field of declared(type)) {
      expect(sample?.[field], field).not.toBe('');
      expect(request[field], field).toBe('');
    }
  });
});
