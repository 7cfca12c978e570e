/**
 * In-memory search over large lists (100k users, a 100k-member team) that answers within a frame.
 *
 * The rows' search keys are lower-cased once, when the data arrives, and joined into one string (one line per
 * row). A keystroke then scans that string with `indexOf` for the query's longest word — a native substring
 * search over a few megabytes, far faster than calling `includes` on 100k separate strings — and checks the
 * other words only on the rows it hits. The answer is a bitmap by row index, so the caller keeps its own
 * (already sorted) order and filters it without sorting again.
 */
export interface SearchIndex {
  /** Every row's key, lower-cased, each followed by "\n". */
  readonly text: string;
  /** Where each row's key starts in `text`; one extra entry at the end (`text.length`). */
  readonly starts: Int32Array;
  readonly size: number;
}

export interface SearchResult {
  /** `matches[i]` is 1 when row i matches. */
  readonly matches: Uint8Array;
  readonly count: number;
}

/** Builds the index from one key per row (say `${name} ${email} ${id}`). Keys must not contain "\n". */
export function buildSearchIndex(keys: readonly string[]): SearchIndex {
  const starts = new Int32Array(keys.length + 1);
  const parts: string[] = new Array<string>(keys.length);
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    // Line breaks in a key (server text) would split its row in two: a space keeps it one row.
    const key = (keys[i] ?? '').toLowerCase().replace(/\n/g, ' ');
    starts[i] = at;
    parts[i] = key;
    at += key.length + 1;
  }
  starts[keys.length] = at;
  return { text: parts.join('\n') + (keys.length ? '\n' : ''), starts, size: keys.length };
}

/** The query's words (lower case, split on white space); empty when there is nothing to search for. */
export function queryWords(query: string): string[] {
  return query.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * The rows whose key contains every word of `query`, or `null` when the query is empty (every row matches).
 */
export function search(index: SearchIndex, query: string): SearchResult | null {
  const words = queryWords(query);
  if (words.length === 0) return null;
  // The longest word has the fewest hits; the others are checked only on those rows.
  const sorted = [...words].sort((a, b) => b.length - a.length);
  const first = sorted[0] ?? '';
  const rest = sorted.slice(1);
  const { text, starts, size } = index;
  const matches = new Uint8Array(size);
  let count = 0;
  let row = 0;
  let from = 0;
  for (;;) {
    const hit = text.indexOf(first, from);
    if (hit < 0) break;
    // Hits come in increasing order, so the row only ever moves forward: a gallop, then a binary search.
    let step = 1;
    while (row + step < size && (starts[row + step] ?? 0) <= hit) step *= 2;
    let lo = row;
    let hi = Math.min(size - 1, row + step);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= hit) lo = mid;
      else hi = mid - 1;
    }
    row = lo;
    const end = (starts[row + 1] ?? text.length) - 1;
    if (rest.length === 0 || rest.every((w) => rowHas(text, starts[row] ?? 0, end, w))) {
      matches[row] = 1;
      count++;
    }
    // The rest of this row cannot add anything: go on from the next one.
    from = end + 1;
    row++;
    if (row >= size) break;
  }
  return { matches, count };
}

/** Whether the row `text[start..end)` holds `word`: searched within the row only (an `indexOf` from `start` would
 * run on through every later row when the word is not there). */
function rowHas(text: string, start: number, end: number, word: string): boolean {
  return text.slice(start, end).includes(word);
}
