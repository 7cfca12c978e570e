import { describe, expect, it } from 'vitest';
import { collationRanks, numberRanks, orderByRankColumns, orderByRanks } from './sortKeys';

const byBase = new Intl.Collator(undefined, { sensitivity: 'base' });
const byDefault = new Intl.Collator();

/** The order a stable sort with the collator gives (what the tables did before ranks). */
function collatorOrder(values: string[], collator: Intl.Collator, desc = false): number[] {
  const order = values.map((_, i) => i);
  order.sort((a, b) => (desc ? -1 : 1) * collator.compare(values[a]!, values[b]!));
  return order;
}

// A seeded generator, so a failure can be reproduced.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const NAMES = ['Alex', 'alex', 'ALEX', 'Álex', 'alëx', 'Zoë', 'zoe', 'Zoe', 'Émile', 'emile', 'Øyvind', 'Oyvind', 'Ångström', 'angstrom', 'Ça', 'ca', 'ß', 'ss', 'straße', 'strasse', 'Łukasz', 'lukasz', 'Ñandú', 'nandu', 'O’Brien', "O'Brien", 'o-brien', 'obrien', 'van der Berg', 'Van Der Berg', 'vanderberg', '', ' ', 'a', 'A', 'a1', 'a10', 'a2', 'Z', 'z', '_x', '-x', '.x', '~x', '1x', 'x\u0000y', 'tab\there', '名前', 'Ωmega', 'omega'];

function sample(seed: number, count: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const pick = r();
    if (pick < 0.3) out.push(NAMES[Math.floor(r() * NAMES.length)]!);
    else {
      // Random printable ASCII, biased to letters, digits and the punctuation emails carry.
      const len = Math.floor(r() * 10);
      let s = '';
      for (let k = 0; k < len; k++) {
        const t = r();
        const pool = t < 0.5 ? 'abcdeABCDE' : t < 0.7 ? '0123456789' : t < 0.85 ? '.@-_+ ' : PRINTABLE;
        s += pool[Math.floor(r() * pool.length)];
      }
      if (pick > 0.9) s += 'é';
      out.push(s);
    }
  }
  return out;
}

describe('collationRanks', () => {
  for (const [name, collator] of [
    ['base sensitivity (names, account types)', byBase],
    ['default sensitivity (emails)', byDefault],
  ] as const) {
    it(`orders like the collator: ${name}, accents, case and punctuation`, () => {
      for (const seed of [1, 2, 3]) {
        const values = sample(seed, 3000);
        const ranks = collationRanks(values, collator);
        for (const desc of [false, true]) {
          expect(Array.from(orderByRanks(ranks, desc))).toEqual(collatorOrder(values, collator, desc));
        }
      }
    });

    it(`gives equal ranks exactly when the collator says equal: ${name}`, () => {
      const values = sample(7, 400);
      const ranks = collationRanks(values, collator);
      for (let i = 0; i < values.length; i++) {
        for (let j = 0; j < values.length; j += 7) {
          const c = Math.sign(collator.compare(values[i]!, values[j]!));
          expect(Math.sign(ranks[i]! - ranks[j]!), `${JSON.stringify(values[i])} vs ${JSON.stringify(values[j])}`).toBe(c);
        }
      }
    });
  }

  it('orders the mock org’s names and emails like the collator', () => {
    const first = ['Alex', 'Sam', 'Robin', 'Jamie', 'Taylor', 'Morgan', 'Riley', 'Quinn', 'Avery', 'Charlie', 'Drew', 'Emerson'];
    const last = ['Anderson', 'Baker', 'Carter', 'Diaz', 'Evans', 'Foster', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lindqvist'];
    const names: string[] = [];
    const emails: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const f = first[i % first.length]!;
      const l = last[Math.floor(i / first.length) % last.length]!;
      names.push(`${f} ${l}${i % 5 === 0 ? ` ${i}` : ''}`);
      emails.push(`${f}.${l}${i}@Example.com`.toLowerCase().replace('a', i % 3 ? 'a' : 'A'));
    }
    expect(Array.from(orderByRanks(collationRanks(names, byBase), false))).toEqual(collatorOrder(names, byBase));
    expect(Array.from(orderByRanks(collationRanks(emails, byDefault), true))).toEqual(collatorOrder(emails, byDefault, true));
  });

  it('uses the collator for a locale whose contractions the fast path cannot model (Czech "ch" after "h")', () => {
    const cs = new Intl.Collator('cs');
    const values = ['chata', 'hrad', 'ibis', 'cibule', 'Chrám', 'house'];
    expect(Array.from(orderByRanks(collationRanks(values, cs), false))).toEqual(collatorOrder(values, cs));
  });
});

describe('orderByRanks', () => {
  it('keeps ties in list order in both directions', () => {
    const ranks = Int32Array.from([1, 0, 1, 0, 2]);
    expect(Array.from(orderByRanks(ranks, false))).toEqual([1, 3, 0, 2, 4]);
    expect(Array.from(orderByRanks(ranks, true))).toEqual([4, 0, 2, 1, 3]);
  });

  it('orders several columns in turn', () => {
    const a = Int32Array.from([1, 0, 1, 0]);
    const b = Int32Array.from([0, 1, 1, 0]);
    expect(Array.from(orderByRankColumns([{ ranks: a, desc: false }, { ranks: b, desc: true }], 4))).toEqual([1, 3, 2, 0]);
    expect(Array.from(orderByRankColumns([], 3))).toEqual([0, 1, 2]);
  });

  it('ranks numbers', () => {
    expect(Array.from(numberRanks([3, 1, 3, 0]))).toEqual([2, 1, 2, 0]);
  });
});
