import { describe, expect, it } from 'vitest';
import { matchItems, scoreItem, type PaletteItem } from './palette';

const items: PaletteItem[] = [
  { id: 'screen:users', kind: 'screen', label: 'Users', pinned: true },
  { id: 'screen:teams', kind: 'screen', label: 'Teams', pinned: true },
  { id: 'action:stop', kind: 'action', label: 'Stop Impersonation', pinned: true },
  { id: 'user:m-tom', kind: 'user', label: 'Tom Lee', detail: 'tom.lee@acme.example', keywords: ['m-tom-0001'] },
  { id: 'user:m-tomas', kind: 'user', label: 'Tomas Usher', detail: 'tomas.usher@acme.example', keywords: ['m-tomas-0002'] },
  { id: 'user:m-atom', kind: 'user', label: 'Ana Tomlin', detail: 'ana.tomlin@acme.example', keywords: ['m-ana-0003'] },
  { id: 'team:sales', kind: 'team', label: 'Sales', detail: 'Team', keywords: ['Tom’s pipeline'] },
];

const ids = (list: PaletteItem[]) => list.map((i) => i.id);

describe('matchItems', () => {
  it('lists only the pinned screens and actions for an empty query', () => {
    expect(ids(matchItems(items, '  '))).toEqual(['screen:users', 'screen:teams', 'action:stop']);
  });

  it('finds a user by member ID, email or name, case-insensitively', () => {
    expect(ids(matchItems(items, 'm-tomas-0002'))).toEqual(['user:m-tomas']);
    expect(ids(matchItems(items, 'ANA.TOMLIN@'))).toEqual(['user:m-atom']);
    expect(ids(matchItems(items, 'lee tom'))).toEqual(['user:m-tom']);
    expect(matchItems(items, 'nobody')).toEqual([]);
  });

  it('ranks exact IDs, then label prefixes, then word prefixes, then anything that contains the words', () => {
    // "tom": Tom Lee and Tomas start with it, Ana Tomlin has a word that starts with it, Sales only mentions it.
    expect(ids(matchItems(items, 'tom'))).toEqual(['user:m-tom', 'user:m-tomas', 'user:m-atom', 'team:sales']);
    expect(scoreItem(items[3]!, ['m-tom-0001'])).toBe(0);
    expect(scoreItem(items[3]!, ['tom'])).toBe(1);
    expect(scoreItem(items[5]!, ['tom'])).toBe(2);
    expect(scoreItem(items[6]!, ['tom'])).toBe(3);
    expect(scoreItem(items[6]!, ['zzz'])).toBeNull();
  });

  it('puts screens before users when both match equally, and caps the list', () => {
    expect(ids(matchItems(items, 'te'))[0]).toBe('screen:teams');
    const many: PaletteItem[] = Array.from({ length: 500 }, (_, n) => ({ id: `u${n}`, kind: 'user', label: `User ${n}` }));
    expect(matchItems(many, 'user')).toHaveLength(50);
    expect(matchItems(many, 'user', 5).map((i) => i.id)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
  });
});

describe('matchItems on a large directory', () => {
  it('searches 100,000 members by member ID quickly once the items are built', () => {
    const many: PaletteItem[] = Array.from({ length: 100_000 }, (_, n) => ({
      id: `u${n}`,
      kind: 'user',
      label: `Member ${n}`,
      detail: `member${n}@acme.example`,
      keywords: [`member${n}@acme.example`, `id-${n.toString(16).padStart(8, '0')}`],
    }));
    matchItems(many, 'warm');
    const t0 = performance.now();
    expect(matchItems(many, (77777).toString(16).padStart(8, '0')).map((i) => i.id)).toEqual(['u77777']);
    expect(matchItems(many, 'MEMBER77777@').map((i) => i.id)).toEqual(['u77777']);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
