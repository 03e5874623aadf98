import { describe, expect, it } from 'vitest';
import { isLoopbackHostname, originPermissionPattern, parseRealmUrl, type RealmUrlProblem } from './realm-url';

describe('parseRealmUrl accepts what people type', () => {
  it.each([
    ['elixir.zulipchat.com', 'https://elixir.zulipchat.com'],
    ['https://chat.libreqos.io/', 'https://chat.libreqos.io'],
    ['https://chat.libreqos.io/#narrow/stream/1', 'https://chat.libreqos.io'],
    ['http://localhost:9991', 'http://localhost:9991'],
    ['  chat.zulip.org  ', 'https://chat.zulip.org'],
    ['HTTPS://Chat.Example.COM/login/?next=/', 'https://chat.example.com'],
    ['https://chat.example.com:443/', 'https://chat.example.com'],
    ['chat.example.com:8443', 'https://chat.example.com:8443'],
    ['https://chat.example.com/some/path?query=1', 'https://chat.example.com'],
    ['localhost:9991', 'http://localhost:9991'],
    ['127.0.0.1:9991', 'http://127.0.0.1:9991'],
    ['http://127.8.9.10:80', 'http://127.8.9.10'],
    ['http://[::1]:9991/', 'http://[::1]:9991'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://203.0.113.7:8443', 'https://203.0.113.7:8443'],
  ])('%s → %s', (input, origin) => {
    expect(parseRealmUrl(input)).toEqual({ ok: true, origin });
  });
});

describe('parseRealmUrl refuses with a specific problem', () => {
  it.each<[string, RealmUrlProblem]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['zulip://chat.example.com', 'unsupported-scheme'],
    ['ftp://chat.example.com', 'unsupported-scheme'],
    ['mailto:iago@zulip.com', 'unsupported-scheme'],
    ['iago@zulip.com', 'email-not-url'],
    ['https://iago:secret@chat.example.com', 'credentials-in-url'],
    ['https://iago@chat.example.com', 'credentials-in-url'],
    ['http://chat.example.com', 'insecure-http'],
    ['http://203.0.113.7:8080', 'insecure-http'],
    ['https://', 'invalid'],
    ['https://exa mple.com', 'invalid'],
    ['a'.repeat(2000), 'too-long'],
  ])('%j → %s', (input, problem) => {
    expect(parseRealmUrl(input)).toEqual({ ok: false, problem });
  });
});

describe('loopback hosts', () => {
  it('recognises localhost, all of 127.0.0.0/8 and [::1], nothing else', () => {
    expect(['localhost', '127.0.0.1', '127.255.0.3', '[::1]'].every(isLoopbackHostname)).toBe(true);
    expect(['localhost.example.com', '128.0.0.1', '10.0.0.1', '[::2]', 'example.com'].some(isLoopbackHostname)).toBe(false);
  });
});

describe('originPermissionPattern', () => {
  it('drops the port, which match patterns cannot carry in Firefox', () => {
    expect(originPermissionPattern('http://127.0.0.1:9991')).toBe('http://127.0.0.1/*');
    expect(originPermissionPattern('https://chat.example.com')).toBe('https://chat.example.com/*');
    expect(originPermissionPattern('http://[::1]:9991')).toBe('http://[::1]/*');
  });
});
