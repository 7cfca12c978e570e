/**
 * Matching for the command palette (components/CommandPalette.tsx), kept pure so it is unit-tested apart from
 * the UI. Every word of the query must appear somewhere in an item (label, detail or keywords such as the email
 * and member ID); better matches come first: an exact ID or email, then a label that starts with the query, then
 * a label word that starts with a query word, then anything else.
 */
export type PaletteKind = 'screen' | 'action' | 'user' | 'team';

export interface PaletteItem {
  id: string;
  kind: PaletteKind;
  label: string;
  detail?: string;
  /** Extra text that matches but is not the label (email, member ID, team description). */
  keywords?: readonly string[];
  /** Shown when the query is empty (screens and actions; not 100k users). */
  pinned?: boolean;
}

const KIND_ORDER: Record<PaletteKind, number> = { screen: 0, action: 1, user: 2, team: 3 };

export function queryWords(query: string): string[] {
  return query.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

interface Lowered {
  label: string;
  fields: string[];
  hay: string;
}

// Lower-cased once per item, not once per keystroke: with 100k members the palette re-scores every item as the
// query changes, and items are rebuilt only when the directory or session changes.
const lowered = new WeakMap<PaletteItem, Lowered>();

function lower(item: PaletteItem): Lowered {
  let l = lowered.get(item);
  if (!l) {
    const label = item.label.toLowerCase();
    const fields = [label, (item.detail ?? '').toLowerCase(), ...(item.keywords ?? []).map((k) => k.toLowerCase())];
    l = { label, fields, hay: fields.join(' ') };
    lowered.set(item, l);
  }
  return l;
}

/** How well `item` matches the query words: lower is better, null when it does not match. */
export function scoreItem(item: PaletteItem, words: readonly string[]): number | null {
  const { label, fields, hay } = lower(item);
  if (!words.every((w) => hay.includes(w))) return null;
  const whole = words.join(' ');
  if (fields.some((f) => f === whole)) return 0;
  if (label.startsWith(whole)) return 1;
  const labelWords = label.split(/[\s@._-]+/);
  if (words.every((w) => labelWords.some((lw) => lw.startsWith(w)))) return 2;
  return 3;
}

/**
 * The items to list for `query`, best first, at most `limit` (the list is for picking, not browsing: 100k
 * members must not become 100k options). An empty query lists the pinned items in their given order.
 */
export function matchItems<T extends PaletteItem>(items: readonly T[], query: string, limit = 50): T[] {
  const words = queryWords(query);
  if (words.length === 0) return items.filter((i) => i.pinned).slice(0, limit);
  const scored: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const score = scoreItem(item, words);
    if (score !== null) scored.push({ item, score, index });
  });
  scored.sort((a, b) => a.score - b.score || KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] || a.index - b.index);
  return scored.slice(0, limit).map((s) => s.item);
}
