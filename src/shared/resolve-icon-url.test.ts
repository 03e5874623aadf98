import { describe, expect, it } from 'vitest';
import { resolveIconUrl } from './realm-url';

describe('resolveIconUrl', () => {
  it('keeps absolute http(s) icons', () => {
    expect(resolveIconUrl('https://cdn.example.com/icon.png', 'https://chat.example.com')).toBe('https://cdn.example.com/icon.png');
    expect(resolveIconUrl('http://localhost:9991/icon.png', 'http://localhost:9991')).toBe('http://localhost:9991/icon.png');
  });

  it('resolves a path against the realm', () => {
    expect(resolveIconUrl('/user_avatars/2/realm/icon.png?version=2', 'https://chat.example.com')).toBe(
      'https://chat.example.com/user_avatars/2/realm/icon.png?version=2',
    );
  });

  it('loads nothing else', () => {
    expect(resolveIconUrl(null, 'https://chat.example.com')).toBeNull();
    expect(resolveIconUrl('', 'https://chat.example.com')).toBeNull();
    expect(resolveIconUrl('javascript:alert(1)', 'https://chat.example.com')).toBeNull();
    expect(resolveIconUrl('data:image/svg+xml,<svg/>', 'https://chat.example.com')).toBeNull();
    expect(resolveIconUrl('file:///etc/passwd', 'https://chat.example.com')).toBeNull();
  });
});
