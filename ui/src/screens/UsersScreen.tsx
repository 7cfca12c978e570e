import { useDeferredValue, useRef } from 'react';
import { EmptyState, Loading, SkeletonRows } from '../components/Feedback';
import { ErrorPanel } from '../components/ErrorPanel';
import { RecentImpersonations } from '../components/RecentImpersonations';
import { SearchBox } from '../components/SearchBox';
import { PageHeader } from '../components/Shell';
import { UsersTable, useMemberSearch } from '../components/UsersTable';
import { plural } from '../lib/format';
import { useUsersQuery } from '../lib/queries';
import { useRememberedState } from '../lib/useRememberedState';
import { useSearchShortcut } from '../lib/useSearchShortcut';
import { navigate } from '../state/router';

/**
 * Administration › Users. The list is loaded once per archived toggle and searched in memory: with 100k
 * members a round trip per keystroke would be slower than filtering here. The list comes from the query cache,
 * so coming back from a profile shows it at once, with its sort and scroll (the table remembers them).
 */
export function UsersScreen() {
  const [includeArchived, setIncludeArchived] = useRememberedState('users.includeArchived', false);
  const [query, setQuery] = useRememberedState('users.query', '');
  const deferredQuery = useDeferredValue(query);
  const users = useUsersQuery(includeArchived);
  // Search keys are built once per list; a keystroke scans them natively and filters the sorted table.
  const found = useMemberSearch(users.data, deferredQuery);
  const searchRef = useRef<HTMLInputElement>(null);
  useSearchShortcut(searchRef);

  const total = users.data?.length ?? 0;
  const shown = found ? found.count : total;
  const countText = !users.data
    ? ''
    : deferredQuery.trim()
      ? `${shown.toLocaleString('en-US')} of ${plural(total, 'user')}`
      : plural(total, 'user');

  return (
    <div className="screen screen-fill">
      <PageHeader title="Users" subtitle="Everyone in the organization. Open a user to see their profile or impersonate them." />
      <RecentImpersonations />
      <div className="toolbar">
        <SearchBox ref={searchRef} value={query} onChange={setQuery} label="Search users" placeholder="Search by name, email or member ID" shortcut />
        <label className="checkbox">
          <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          Include archived and inactive
        </label>
        <span className="toolbar-spacer" />
        <span className="count" aria-live="polite" data-testid="user-count">
          {countText}
        </span>
      </div>
      {users.error ? (
        <ErrorPanel error={users.error} title="Could not load users" onRetry={users.reload} />
      ) : !users.data ? (
        <div className="card card-flush">
          <Loading label="Loading users…" />
          <SkeletonRows columns={4} />
        </div>
      ) : shown === 0 ? (
        <EmptyState icon="search" title={total === 0 ? 'No users' : `No users match “${deferredQuery.trim()}”`}>
          {total === 0 ? 'This organization has no members yet.' : 'Try part of a name, an email address or a member ID.'}
        </EmptyState>
      ) : (
        <div className="card card-flush card-fill">
          {users.refreshing && <div className="progress-bar" role="progressbar" aria-label="Refreshing users" />}
          <UsersTable members={users.data} matches={found} label="Users" rememberKey="users.table" onOpen={(m) => navigate({ name: 'user', memberId: m.memberId })} />
        </div>
      )}
    </div>
  );
}
