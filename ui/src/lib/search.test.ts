import { describe, expect, it } from 'vitest';
import { buildSearchIndex, search } from './search';

function naive(keys: string[], query: string): number[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return keys.flatMap((k, i) => (words.every((w) => k.toLowerCase().replace(/\n/g, ' ').includes(w)) ? [i] : []));
}

function hits(keys: string[], query: string): number[] | null {
  const r = search(buildSearchIndex(keys), query);
  if (!r) return null;
  const out: number[] = [];
  r.matches.forEach((m, i) => m && out.push(i));
  expect(out.length).toBe(r.count);
  return out;
}

describe('search index', () => {
  const keys = ['Tom Lee tom.lee@acme.example m1', 'Priya Raman priya@acme.example m2', 'Lee Tomlinson lt@x m3', 'Zoë Ünal zoe@x m4', 'line\nbreak m5', ''];

  it('finds rows whose key holds every word, in any order and case', () => {
    expect(hits(keys, 'tom')).toEqual([0, 2]);
    expect(hits(keys, 'LEE TOM')).toEqual([0, 2]);
    expect(hits(keys, 'raman@acme')).toEqual([]);
    expect(hits(keys, 'raman priya@acme')).toEqual([1]);
    expect(hits(keys, 'zoë')).toEqual([3]);
    expect(hits(keys, 'm5')).toEqual([4]);
    expect(hits(keys, 'line break')).toEqual([4]);
    expect(hits(keys, 'nobody')).toEqual([]);
    expect(hits(keys, '   ')).toBeNull();
    expect(hits([], 'x')).toEqual([]);
  });

  it('never matches across two rows', () => {
    // "m1" ends row 0 and "priya" starts row 1: a query spanning them must match neither.
    expect(hits(keys, 'm1 priya')).toEqual([]);
    expect(hits(['ab', 'cd'], 'b\nc')).toEqual([]);
    expect(hits(['ab', 'cd'], 'bc')).toEqual([]);
  });

  it('agrees with a plain filter on generated rows', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `User ${i} u${i}@big.example ${(i * 7919).toString(36)}`);
    for (const q of ['1', '12', 'user 12', '@big', 'u29', '999 user', 'zz', 'e 1', '0 u']) {
      expect(hits(rows, q)).toEqual(naive(rows, q));
    }
  });
});
