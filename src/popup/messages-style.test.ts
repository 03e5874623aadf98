// The popup's strings follow the catalogue's conventions, which translators and Chrome rely on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Entry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string }>;
}
const catalogue = JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, Entry>;
const popupEntries = Object.entries(catalogue).filter(([key]) => key.startsWith('popup_'));

describe('popup messages', () => {
  it.each(popupEntries)('%s has a description and a named placeholder for each value', (_, entry) => {
    expect(entry.description).toBeTruthy();
    const used = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((match) => match[1]?.toLowerCase()).sort();
    const declared = Object.keys(entry.placeholders ?? {}).sort();
    expect(used).toEqual(declared);
    Object.values(entry.placeholders ?? {}).forEach((placeholder, index) => expect(placeholder.content).toBe(`$${index + 1}`));
  });
});
