/**
 * Sorting large lists (100k members) in a collator's order without calling the collator ~1.7 million times.
 *
 * A column is ranked once per list: its distinct values are sorted (most in a fast path, below), and each row gets
 * its value's rank, with values the collator calls equal sharing a rank. A sort is then a numeric sort of
 * `rank * n + row`, which also keeps ties in list order in both directions, as the stable collator sort did.
 *
 * The fast path: for the plain printable-ASCII values that names and emails mostly are, the collator's primary
 * order is the code-by-code order of each character's primary weight (no accents, no expansions, and, in the
 * languages listed below, no contractions such as Czech "ch"). The weights are read from the collator itself, so
 * they follow its locale; values whose weights are all equal, and every value with another character, are left to
 * the collator. The result is the collator's order exactly (ui/src/lib/sortKeys.test.ts checks it).
 */

/** Languages whose collation has no contraction of printable-ASCII letters (so per-character weights hold). */
const NO_ASCII_CONTRACTIONS = new Set(['en', 'de', 'fr', 'it', 'pt', 'nl', 'es']);

const FIRST = 0x20;
const LAST = 0x7e;

/** Per printable-ASCII character code, its primary weight (ordered like the collator; equal for characters the
 * collator tells apart only by case), or null if the collator's locale might contract ASCII letters. */
function primaryWeights(collator: Intl.Collator): Uint16Array | null {
  const locale = collator.resolvedOptions().locale;
  if (!NO_ASCII_CONTRACTIONS.has(locale.split('-')[0] ?? '')) return null;
  const base = new Intl.Collator(locale, { sensitivity: 'base' });
  const chars: string[] = [];
  for (let c = FIRST; c <= LAST; c++) chars.push(String.fromCharCode(c));
  chars.sort(base.compare);
  const weights = new Uint16Array(LAST + 1);
  let weight = 1;
  chars.forEach((ch, i) => {
    if (i > 0 && base.compare(chars[i - 1] ?? '', ch) !== 0) weight++;
    weights[ch.charCodeAt(0)] = weight;
  });
  return weights;
}

const weightCache = new WeakMap<Intl.Collator, Uint16Array | null>();
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/**
 * Compares two plain-ASCII values by their primary weights, character by character (no key strings are built:
 * with 100k values, building them cost more than the sort). 0 when the primaries are equal (the collator decides).
 */
function comparePrimary(a: string, b: string, weights: Uint16Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const d = (weights[ca] ?? 0) - (weights[cb] ?? 0);
    if (d !== 0) return d;
  }
  // One begins the other: the shorter sorts first, as with the collator.
  return a.length - b.length;
}

/**
 * Each value's rank in `collator` order: `ranks[i] < ranks[j]` exactly when `collator.compare(values[i],
 * values[j]) < 0`, equal when it is 0.
 */
export function collationRanks(values: readonly string[], collator: Intl.Collator): Int32Array {
  if (!weightCache.has(collator)) weightCache.set(collator, primaryWeights(collator));
  const weights = weightCache.get(collator) ?? null;
  const slot = new Map<string, number>();
  const distinct: string[] = [];
  const slots = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? '';
    let s = slot.get(v);
    if (s === undefined) {
      s = distinct.length;
      slot.set(v, s);
      distinct.push(v);
    }
    slots[i] = s;
  }
  const plain = Uint8Array.from(distinct, (v) => (weights && PLAIN_ASCII.test(v) ? 1 : 0));
  const compare = (a: number, b: number): number => {
    const va = distinct[a] ?? '';
    const vb = distinct[b] ?? '';
    if (weights && plain[a] === 1 && plain[b] === 1) {
      const d = comparePrimary(va, vb, weights);
      if (d !== 0) return d;
    }
    return collator.compare(va, vb);
  };
  const order = Array.from({ length: distinct.length }, (_, i) => i);
  order.sort(compare);
  const rankOf = new Int32Array(distinct.length);
  let rank = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && compare(order[k - 1] ?? 0, order[k] ?? 0) !== 0) rank++;
    rankOf[order[k] ?? 0] = rank;
  }
  const ranks = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) ranks[i] = rankOf[slots[i] ?? 0] ?? 0;
  return ranks;
}

/** A rank per row for numbers (ascending); equal numbers share a rank. */
export function numberRanks(values: readonly number[]): Int32Array {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const rankOf = new Map(distinct.map((v, i) => [v, i]));
  return Int32Array.from(values, (v) => rankOf.get(v) ?? 0);
}

/**
 * Row indices ordered by `ranks` (descending when `desc`), ties in row order both ways — the order a stable sort
 * with the rank's comparator (negated for `desc`) gives.
 */
export function orderByRanks(ranks: Int32Array, desc: boolean): Int32Array {
  const n = ranks.length;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, ranks[i] ?? 0);
  // rank * n + row is below 2^53 for any list that fits in memory, so a plain numeric sort is exact.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (desc ? max - (ranks[i] ?? 0) : (ranks[i] ?? 0)) * n + i;
  packed.sort();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = (packed[i] ?? 0) % n;
  return out;
}

/** Row indices ordered by several rank columns in turn (each ascending or descending), ties in row order. */
export function orderByRankColumns(columns: ReadonlyArray<{ ranks: Int32Array; desc: boolean }>, n: number): Int32Array {
  const first = columns[0];
  if (!first) return Int32Array.from({ length: n }, (_, i) => i);
  if (columns.length === 1) return orderByRanks(first.ranks, first.desc);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    for (const { ranks, desc } of columns) {
      const d = (ranks[a] ?? 0) - (ranks[b] ?? 0);
      if (d !== 0) return desc ? -d : d;
    }
    return a - b;
  });
  return Int32Array.from(order);
}
