import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { TeamMemberDto } from '../ipc';
import { AccountTypeBadge, StatusPill, statusRank } from '../components/Badges';
import { EmptyState, Loading, SkeletonRows } from '../components/Feedback';
import { CopyButton } from '../components/CopyButton';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/Icon';
import { ImpersonateDialog, type ImpersonationTarget } from '../components/ImpersonateDialog';
import { MemberActionsMenu } from '../components/MemberActionsMenu';
import { SearchBox } from '../components/SearchBox';
import { PageHeader } from '../components/Shell';
import { impersonationBlock, sentence } from '../lib/eligibility';
import { plural } from '../lib/format';
import { buildSearchIndex, search, type SearchResult } from '../lib/search';
import { collationRanks, numberRanks, orderByRanks } from '../lib/sortKeys';
import { useTeamMembersQuery, useTeamsQuery } from '../lib/queries';
import { useRememberedState } from '../lib/useRememberedState';
import { useSearchShortcut } from '../lib/useSearchShortcut';
import { useConnection } from '../state/connection';
import { navigate, routeHref } from '../state/router';
import { rowWindow, SpacerRow } from '../components/SpacerRow';

function memberName(m: TeamMemberDto): string {
  return m.member?.name ?? m.userId;
}

export function TeamsScreen({ teamId }: { teamId: string | null }) {
  const teams = useTeamsQuery();
  const [filter, setFilter] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  useSearchShortcut(searchRef);

  const visibleTeams = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (teams.data ?? []).filter((t) => !f || t.name.toLowerCase().includes(f));
  }, [teams.data, filter]);
  const selectedId = teamId ?? teams.data?.[0]?.teamId ?? null;
  const selected = teams.data?.find((t) => t.teamId === selectedId) ?? null;
  const activeLink = useRef<HTMLAnchorElement>(null);

  // A deep link (#/teams/ID) to a team far down a long list: bring it into view once the list is there.
  useEffect(() => {
    activeLink.current?.scrollIntoView({ block: 'nearest' });
  }, [teams.data, selectedId]);

  return (
    <div className="screen screen-fill">
      <PageHeader title="Teams" subtitle="Pick a team to see its members. Open a member to see their profile, or use ⋯ to impersonate them." />
      {teams.error ? (
        <ErrorPanel error={teams.error} title="Could not load teams" onRetry={teams.reload} />
      ) : (
        <div className="split">
          <aside className="card card-flush split-list" aria-label="Teams">
            <div className="split-list-search">
              <SearchBox ref={searchRef} value={filter} onChange={setFilter} label="Filter teams" />
            </div>
            {!teams.data ? (
              <Loading label="Loading teams…" />
            ) : visibleTeams.length === 0 ? (
              <p className="muted padded">No teams match.</p>
            ) : (
              <ul className="team-list">
                {visibleTeams.map((t) => (
                  <li key={t.teamId}>
                    <a
                      ref={t.teamId === selectedId ? activeLink : undefined}
                      href={routeHref({ name: 'teams', teamId: t.teamId })}
                      className={t.teamId === selectedId ? 'team-link active' : 'team-link'}
                      aria-current={t.teamId === selectedId ? 'page' : undefined}
                    >
                      <span className="team-link-name">{t.name}</span>
                      {t.description && <span className="team-link-desc">{t.description}</span>}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </aside>
          <section className="split-main" aria-label={selected ? `Members of ${selected.name}` : 'Team members'}>
            {selected ? (
              <TeamMembers key={selected.teamId} teamId={selected.teamId} teamName={selected.name} />
            ) : teams.data && teamId ? (
              <EmptyState
                icon="team"
                title="Team not found"
                action={
                  <a className="btn btn-secondary" href={routeHref({ name: 'teams', teamId: null })}>
                    Show all teams
                  </a>
                }
              >
                This organization has no team with ID {teamId}.
              </EmptyState>
            ) : (
              teams.data && <EmptyState icon="team" title="No teams">This organization has no teams yet.</EmptyState>
            )}
          </section>
        </div>
      )}
    </div>
  );
}

type MemberSortKey = 'name' | 'email' | 'type' | 'status';
interface MemberSort {
  key: MemberSortKey;
  desc: boolean;
}

const MEMBER_COLUMNS: ReadonlyArray<{ key: MemberSortKey; label: string }> = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'type', label: 'Account type' },
  { key: 'status', label: 'Status' },
];

const ROW_HEIGHT = 44;

// Made once: `localeCompare` with options builds a collator per call, slow on a big team.
const byBase = new Intl.Collator(undefined, { sensitivity: 'base' });
const byDefault = new Intl.Collator();

/** Each column's sort as a rank per member, made once per roster and column (lib/sortKeys.ts): comparing 100k
 * members through the collator took over a second per click. */
const RANKERS: Record<MemberSortKey, (members: readonly TeamMemberDto[]) => Int32Array> = {
  name: (ms) => collationRanks(ms.map(memberName), byBase),
  email: (ms) => collationRanks(ms.map((m) => m.member?.email ?? ''), byDefault),
  type: (ms) => collationRanks(ms.map((m) => m.member?.memberType ?? ''), byBase),
  // Members whose record is missing sort after archived ones.
  status: (ms) => numberRanks(ms.map((m) => (m.member ? statusRank(m.member) : 3))),
};

interface SortCache {
  ranks: Map<MemberSortKey, Int32Array>;
  orders: Map<string, Int32Array>;
}

const newSortCache = (): SortCache => ({ ranks: new Map(), orders: new Map() });

function searchKey(tm: TeamMemberDto): string {
  return `${memberName(tm)} ${tm.member?.email ?? ''} ${tm.member?.memberId ?? tm.userId}`;
}

/** Row indices in `sort` order, ties in roster order (both ways); kept in `cache` (one per roster). */
function sortedOrder(members: readonly TeamMemberDto[], sort: MemberSort, cache: SortCache): Int32Array {
  const key = `${sort.key}:${sort.desc ? 'desc' : 'asc'}`;
  let order = cache.orders.get(key);
  if (!order) {
    let ranks = cache.ranks.get(sort.key);
    if (!ranks) {
      ranks = RANKERS[sort.key](members);
      cache.ranks.set(sort.key, ranks);
    }
    order = orderByRanks(ranks, sort.desc);
    cache.orders.set(key, order);
  }
  return order;
}

/** The positions in `order` of the rows `found` matched, `null` without a search (every position). Plain
 * integers: a keystroke on 100k members builds no row objects. */
function matchedPositions(order: Int32Array, found: SearchResult | null): Int32Array | null {
  if (!found) return null;
  const out = new Int32Array(found.count);
  let k = 0;
  for (let p = 0; p < order.length; p++) if (found.matches[order[p] ?? 0] === 1) out[k++] = p;
  return out;
}

/**
 * Search (every word must match the name, email or member ID) and sort; a stable sort keeps ties in roster order.
 * Exported for unit tests. The screen does the same in steps, each memoized: the search keys once per roster, the
 * sort once per sort change, and per keystroke only the search and the filter of the sorted order.
 */
export function visibleMembers(members: readonly TeamMemberDto[], query: string, sort: MemberSort): TeamMemberDto[] {
  const order = sortedOrder(members, sort, newSortCache());
  const shown = matchedPositions(order, search(buildSearchIndex(members.map(searchKey)), query));
  const count = shown ? shown.length : order.length;
  return Array.from({ length: count }, (_, i) => members[order[shown ? (shown[i] ?? 0) : i] ?? 0]!);
}

function TeamMembers({ teamId, teamName }: { teamId: string; teamName: string }) {
  const members = useTeamMembersQuery(teamId);
  const { state } = useConnection();
  const [target, setTarget] = useState<ImpersonationTarget | null>(null);
  // The sort is kept across teams; the search per team. Both survive a trip to a profile and back.
  const [sort, setSort] = useRememberedState<MemberSort>('teams.members.sort', { key: 'name', desc: false });
  const [query, setQuery] = useRememberedState(`teams.members.query.${teamId}`, '');
  const deferredQuery = useDeferredValue(query);
  const data = members.data;
  const index = useMemo(() => buildSearchIndex((data ?? []).map(searchKey)), [data]);
  const sortCache = useMemo(newSortCache, [data]);
  const order = useMemo(() => sortedOrder(data ?? [], sort, sortCache), [data, sort, sortCache]);
  const found = useMemo(() => search(index, deferredQuery), [index, deferredQuery]);
  const shown = useMemo(() => matchedPositions(order, found), [order, found]);
  const rowCount = shown ? shown.length : order.length;
  const rowAt = (i: number): TeamMemberDto | undefined => data?.[order[shown ? (shown[i] ?? -1) : i] ?? -1];
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const { items, padTop, padBottom } = rowWindow(virtualizer);
  const total = members.data?.length ?? 0;

  function toggleSort(key: MemberSortKey) {
    setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: false }));
  }

  return (
    <div className="card card-flush card-fill">
      <div className="card-head">
        <h2 className="card-title">{teamName}</h2>
        {members.data && total > 0 && (
          <div className="card-head-search">
            <SearchBox value={query} onChange={setQuery} label="Search members" placeholder="Search by name, email or ID" />
          </div>
        )}
        {members.data && (
          <span className="count" aria-live="polite" data-testid="member-count">
            {deferredQuery.trim() ? `${rowCount.toLocaleString('en-US')} of ${plural(total, 'member')}` : plural(total, 'member')}
          </span>
        )}
      </div>
      {members.error ? (
        <div className="padded">
          <ErrorPanel error={members.error} title="Could not load team members" onRetry={members.reload} />
        </div>
      ) : !members.data ? (
        <>
          <Loading label="Loading members…" />
          <SkeletonRows columns={4} rows={6} />
        </>
      ) : total === 0 ? (
        <EmptyState icon="users" title="No members">Add people to this team in Sigma.</EmptyState>
      ) : rowCount === 0 ? (
        <EmptyState icon="search" title={`No members match “${deferredQuery.trim()}”`}>Try part of a name, an email address or a member ID.</EmptyState>
      ) : (
        <div className="table-scroll" ref={scrollRef}>
          <table className="table" aria-label={`Members of ${teamName}`} aria-rowcount={rowCount + 1}>
            <colgroup>
              <col style={{ width: '32%' }} />
              <col style={{ width: '32%' }} />
              <col style={{ width: '15%' }} />
              <col style={{ width: '13%' }} />
              <col style={{ width: '56px' }} />
            </colgroup>
            <thead>
              <tr aria-rowindex={1}>
                {MEMBER_COLUMNS.map((c) => {
                  const on = sort.key === c.key;
                  return (
                    <th key={c.key} scope="col" aria-sort={on ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" className="th-sort" onClick={() => toggleSort(c.key)}>
                        {c.label}
                        <Icon name={on ? (sort.desc ? 'arrow-down' : 'arrow-up') : 'sort'} size={12} className={on ? 'sort-icon on' : 'sort-icon'} />
                      </button>
                    </th>
                  );
                })}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <SpacerRow height={padTop} colSpan={5} />
              {items.map((item) => {
                const tm = rowAt(item.index);
                if (!tm) return null;
                const name = memberName(tm);
                const blocked = tm.member
                  ? impersonationBlock(tm.member.impersonation, state?.actor, state?.actorError)
                  : sentence(tm.impersonation.reason ?? 'The member record could not be found');
                const profile = tm.member ? { name: 'user' as const, memberId: tm.member.memberId } : null;
                return (
                  <tr
                    key={tm.userId}
                    data-index={item.index}
                    aria-rowindex={item.index + 2}
                    style={{ height: ROW_HEIGHT }}
                    className={profile ? 'row-link' : undefined}
                    // A click anywhere on the row opens the profile (as in the Users table); the name is also a
                    // real link, which is what the keyboard and screen readers use.
                    onClick={profile ? () => navigate(profile) : undefined}
                  >
                    <td>
                      <span className="cell-name">
                        {profile ? (
                          <a className="truncate cell-link" href={routeHref(profile)} onClick={(e) => e.stopPropagation()}>
                            {name}
                          </a>
                        ) : (
                          <span className="truncate">{name}</span>
                        )}
                        {tm.isTeamAdmin && <span className="tag">Team admin</span>}
                        {/* Copying must not open the profile, as a click elsewhere on the row does. */}
                        <span onClick={(e) => e.stopPropagation()}>
                          <CopyButton text={tm.member?.memberId ?? tm.userId} label={`Copy member ID of ${name}`} />
                        </span>
                      </span>
                    </td>
                    <td className="muted">
                      {tm.member ? (
                        <span className="cell-name" onClick={(e) => e.stopPropagation()}>
                          <span className="truncate">{tm.member.email}</span>
                          <CopyButton text={tm.member.email} label={`Copy email of ${name}`} />
                        </span>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>{tm.member ? <AccountTypeBadge type={tm.member.memberType} /> : '—'}</td>
                    <td>{tm.member ? <StatusPill member={tm.member} /> : '—'}</td>
                    {/* The menu's clicks (its items are portaled, but React events still bubble here) must not open the profile. */}
                    <td className="cell-actions" onClick={(e) => e.stopPropagation()}>
                      <MemberActionsMenu
                        name={name}
                        blockedReason={blocked}
                        canViewProfile={tm.member !== null}
                        onImpersonate={() => tm.member && setTarget({ email: tm.member.email, name })}
                        onViewProfile={() => navigate({ name: 'user', memberId: tm.member?.memberId ?? tm.userId })}
                      />
                    </td>
                  </tr>
                );
              })}
              <SpacerRow height={padBottom} colSpan={5} />
            </tbody>
          </table>
        </div>
      )}
      <ImpersonateDialog target={target} onClose={() => setTarget(null)} />
    </div>
  );
}
