import { describe, expect, it } from 'vitest';
import { safeIconUrl } from './icon-url';

describe('safeIconUrl', () => {
  it('keeps absolute http(s) icons', () => {
    expect(safeIconUrl('https://cdn.example.com/icon.png', 'https://chat.example.com')).toBe('https://cdn.example.com/icon.png');
    expect(safeIconUrl('http://localhost:9991/icon.png', 'http://localhost:9991')).toBe('http://localhost:9991/icon.png');
  });

  it('resolves a path against the realm', () => {
    expect(safeIconUrl('/user_avatars/2/realm/icon.png?version=2', 'https://chat.example.com')).toBe(
      'https://chat.example.com/user_avatars/2/realm/icon.png?version=2',
    );
  });

  it('loads nothing else', () => {
    expect(safeIconUrl(null, 'https://chat.example.com')).toBeNull();
    expect(safeIconUrl('', 'https://chat.example.com')).toBeNull();
    expect(safeIconUrl('javascript:alert(1)', 'https://chat.example.com')).toBeNull();
    expect(safeIconUrl('data:image/svg+xml,<svg/>', 'https://chat.example.com')).toBeNull();
    expect(safeIconUrl('file:///etc/passwd', 'https://chat.example.com')).toBeNull();
  });
});
