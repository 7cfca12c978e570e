import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { MemberDto } from '../ipc';
import { buildSearchIndex, search, type SearchResult } from '../lib/search';
import { collationRanks, numberRanks, orderByRankColumns } from '../lib/sortKeys';
import { useRememberedState } from '../lib/useRememberedState';
import { AccountTypeBadge, StatusPill, statusRank } from './Badges';
import { Icon } from './Icon';
import { rowWindow, SpacerRow } from './SpacerRow';

/**
 * Case-insensitive match on name, email and member ID; every word must match (so "tom lee" finds Tom Lee, and
 * the member ID a ticket quotes finds its user).
 */
export function filterMembers(members: readonly MemberDto[], query: string): MemberDto[] {
  const found = search(buildSearchIndex(members.map(searchKey)), query);
  return found ? members.filter((_, i) => found.matches[i] === 1) : members.slice();
}

function searchKey(m: MemberDto): string {
  return `${m.name} ${m.email} ${m.memberId}`;
}

/**
 * The members matching `query` (see {@link filterMembers}) as a bitmap by index, `null` for no query. The search
 * keys are built once per list, so a keystroke on 100k members costs one native substring scan, not 100k strings.
 */
export function useMemberSearch(members: readonly MemberDto[] | undefined, query: string): SearchResult | null {
  const index = useMemo(() => buildSearchIndex((members ?? []).map(searchKey)), [members]);
  return useMemo(() => search(index, query), [index, query]);
}

const ROW_HEIGHT = 40;

/** The positions in the sorted order (`sortedIndex`: data index of each sorted row) of the rows `found` matched. */
function matchedPositions(sortedIndex: Int32Array, found: SearchResult): Int32Array {
  const out = new Int32Array(found.count);
  let k = 0;
  for (let p = 0; p < sortedIndex.length; p++) if (found.matches[sortedIndex[p] ?? 0] === 1) out[k++] = p;
  return out;
}
/** Scroll offsets by `rememberKey`, for this window's lifetime (like the remembered sort and search). */
const scrollMemory = new Map<string, number>();
const column = createColumnHelper<MemberDto>();
// One collator each, made once: `localeCompare` with options builds a collator per call.
const byBase = new Intl.Collator(undefined, { sensitivity: 'base' });
const byDefault = new Intl.Collator();

/** Each column's sort: a rank per member in the column's order (names and types ignore case and accents, as
 * they always have; emails use the default collation; status by {@link statusRank}). Ranked once per list and
 * column (see lib/sortKeys.ts): comparing 100k members through the collator took seconds per click. */
const RANKERS: Record<string, (members: readonly MemberDto[]) => Int32Array> = {
  name: (ms) => collationRanks(ms.map((m) => m.name), byBase),
  email: (ms) => collationRanks(ms.map((m) => m.email), byDefault),
  memberType: (ms) => collationRanks(ms.map((m) => m.memberType), byBase),
  status: (ms) => numberRanks(ms.map(statusRank)),
};

const columns = [
  column.accessor('name', {
    header: 'Name',
    cell: (info) => (
      <span className="cell-name">
        <span className="avatar" aria-hidden="true">
          {initials(info.row.original)}
        </span>
        <span className="truncate">{info.getValue()}</span>
      </span>
    ),
  }),
  column.accessor('email', {
    header: 'Email',
    cell: (info) => <span className="truncate muted">{info.getValue()}</span>,
  }),
  column.accessor('memberType', {
    header: 'Account type',
    cell: (info) => <AccountTypeBadge type={info.getValue()} />,
  }),
  column.accessor((m) => statusRank(m), {
    id: 'status',
    header: 'Status',
    cell: (info) => <StatusPill member={info.row.original} />,
  }),
];

function initials(m: MemberDto): string {
  const a = m.firstName.charAt(0) || m.email.charAt(0);
  const b = m.lastName.charAt(0);
  return `${a}${b}`.toUpperCase();
}

/**
 * The users table: sortable headers, and only the rows in view are in the DOM (100k members stay smooth).
 * `members` is the whole list and `matches` the current search (from {@link useMemberSearch}): the list is sorted
 * once per sort change and a search only filters the sorted rows, so a keystroke never sorts 100k rows again.
 * Keyboard: Tab reaches one row; arrows, Page Up/Down, Home/End move; Enter opens the profile.
 * With `rememberKey`, the sort, the scroll position and the current row survive the table unmounting (a trip to
 * a profile and back finds the list as it was left).
 */
export function UsersTable({
  members,
  matches = null,
  onOpen,
  label,
  rememberKey,
}: {
  members: MemberDto[];
  matches?: SearchResult | null;
  onOpen: (m: MemberDto) => void;
  label: string;
  rememberKey?: string;
}) {
  const memoryKey = rememberKey ?? null;
  const [sorting, setSorting] = useRememberedState<SortingState>(memoryKey ? `${memoryKey}.sort` : null, [{ id: 'name', desc: false }]);
  const table = useReactTable({
    data: members,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    // Sorted here, not by react-table's sorted row model (see RANKERS): react-table keeps the sort state and the
    // headers.
    manualSorting: true,
    enableSortingRemoval: false,
    // Every column starts ascending (react-table would start numeric ones, like Status, descending).
    sortDescFirst: false,
  });
  const dataRows = table.getCoreRowModel().rows;
  // Per list: each column's ranks and each sort's order, made when first asked for and kept, so going back to a
  // sort already seen costs nothing. Ties keep list order both ways (as react-table's sort did).
  const sortCache = useMemo(() => ({ ranks: new Map<string, Int32Array>(), orders: new Map<string, Int32Array>() }), [members]);
  // Each sorted row's data index, as a typed array: a keystroke then filters 100k plain integers.
  const sortedIndex = useMemo(() => {
    const key = sorting.map((s) => `${s.id}:${s.desc ? 'desc' : 'asc'}`).join(',');
    let order = sortCache.orders.get(key);
    if (!order) {
      const columns = sorting.flatMap((s) => {
        const rank = RANKERS[s.id];
        if (!rank) return [];
        let ranks = sortCache.ranks.get(s.id);
        if (!ranks) {
          ranks = rank(members);
          sortCache.ranks.set(s.id, ranks);
        }
        return [{ ranks, desc: s.desc }];
      });
      order = orderByRankColumns(columns, members.length);
      sortCache.orders.set(key, order);
    }
    return order;
  }, [sortCache, sorting, members]);
  const shown = useMemo(() => (matches ? matchedPositions(sortedIndex, matches) : null), [sortedIndex, matches]);
  const rowCount = shown ? shown.length : sortedIndex.length;
  const rowAt = (i: number) => dataRows[sortedIndex[shown ? (shown[i] ?? -1) : i] ?? -1];
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Renders the rows at the remembered offset from the first paint; the virtualizer scrolls the element there.
    initialOffset: () => (memoryKey ? (scrollMemory.get(memoryKey) ?? 0) : 0),
  });
  const [active, setActive] = useRememberedState(memoryKey ? `${memoryKey}.active` : null, 0);

  // The virtualizer renders from `initialOffset` but reads the element's own scrollTop (0 on a fresh mount) as soon
  // as it observes it: put the element back where it was before the first paint, so both agree.
  useLayoutEffect(() => {
    const offset = memoryKey ? scrollMemory.get(memoryKey) : undefined;
    if (offset && scrollRef.current) scrollRef.current.scrollTop = offset;
    // Only on mount: later scrolling is the user's.
  }, []);
  const focusPending = useRef(false);

  // Keep the roving row inside the list when a search shrinks it.
  useEffect(() => {
    if (active >= rowCount) setActive(Math.max(0, rowCount - 1));
  }, [rowCount, active]);

  useEffect(() => {
    if (!focusPending.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${active}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusPending.current = false;
    }
  });

  function move(to: number) {
    const next = Math.max(0, Math.min(rowCount - 1, to));
    focusPending.current = true;
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTableRowElement>, index: number) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rowCount - 1,
    };
    const target = keys[e.key];
    if (target !== undefined) {
      e.preventDefault();
      move(target);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const row = rowAt(index);
      if (row) onOpen(row.original);
    }
  }

  const { items, padTop, padBottom } = rowWindow(virtualizer);
  const headers = table.getHeaderGroups()[0]?.headers ?? [];

  return (
    <div
      className="table-scroll"
      ref={scrollRef}
      onScroll={(e) => {
        if (memoryKey) scrollMemory.set(memoryKey, e.currentTarget.scrollTop);
      }}
    >
      {/* A grid, not a plain table: the arrow keys move between rows, which is what grid semantics announce.
          aria-rowcount / aria-rowindex give the true size and position while only the visible rows exist. */}
      <table className="table table-users" role="grid" aria-readonly="true" aria-label={label} aria-rowcount={rowCount + 1}>
        <colgroup>
          <col style={{ width: '30%' }} />
          <col style={{ width: '34%' }} />
          <col style={{ width: '16%' }} />
          <col style={{ width: '14%' }} />
          <col style={{ width: '6%' }} />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {headers.map((h) => {
              const sorted = h.column.getIsSorted();
              return (
                <th
                  key={h.id}
                  scope="col"
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                >
                  <button type="button" className="th-sort" onClick={h.column.getToggleSortingHandler()}>
                    {flexRender(h.column.columnDef.header, h.getContext())}
                    <Icon name={sorted === 'asc' ? 'arrow-up' : sorted === 'desc' ? 'arrow-down' : 'sort'} size={12} className={sorted ? 'sort-icon on' : 'sort-icon'} />
                  </button>
                </th>
              );
            })}
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={padTop} colSpan={5} />
          {items.map((item) => {
            const row = rowAt(item.index);
            if (!row) return null;
            const m = row.original;
            return (
              <tr
                key={row.id}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                className="row-link"
                style={{ height: ROW_HEIGHT }}
                tabIndex={item.index === active ? 0 : -1}
                aria-label={`${m.name}, ${m.email}`}
                onClick={() => {
                  setActive(item.index);
                  onOpen(m);
                }}
                onFocus={() => setActive(item.index)}
                onKeyDown={(e) => onKeyDown(e, item.index)}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} role="gridcell">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
                <td className="cell-chevron" role="gridcell">
                  <Icon name="chevron-right" size={14} />
                </td>
              </tr>
            );
          })}
          <SpacerRow height={padBottom} colSpan={5} />
        </tbody>
      </table>
    </div>
  );
}

export const useMemberFilter = (members: MemberDto[] | undefined, query: string) =>
  useMemo(() => filterMembers(members ?? [], query), [members, query]);
