import { useMemo, useRef, useState } from 'react';
import { getTeamMembers, listTeams, type TeamMemberDto } from '../ipc';
import { AccountTypeBadge, StatusPill } from '../components/Badges';
import { EmptyState, Loading, SkeletonRows } from '../components/Feedback';
import { ErrorPanel } from '../components/ErrorPanel';
import { ImpersonateDialog, type ImpersonationTarget } from '../components/ImpersonateDialog';
import { MemberActionsMenu } from '../components/MemberActionsMenu';
import { SearchBox } from '../components/SearchBox';
import { PageHeader } from '../components/Shell';
import { impersonationBlock, sentence } from '../lib/eligibility';
import { plural } from '../lib/format';
import { useAsync } from '../lib/useAsync';
import { useSearchShortcut } from '../lib/useSearchShortcut';
import { useConnection } from '../state/connection';
import { navigate, routeHref } from '../state/router';

function memberName(m: TeamMemberDto): string {
  return m.member?.name ?? m.userId;
}

export function TeamsScreen({ teamId }: { teamId: string | null }) {
  const teams = useAsync(() => listTeams(), []);
  const [filter, setFilter] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  useSearchShortcut(searchRef);

  const visibleTeams = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (teams.data ?? []).filter((t) => !f || t.name.toLowerCase().includes(f));
  }, [teams.data, filter]);
  const selectedId = teamId ?? teams.data?.[0]?.teamId ?? null;
  const selected = teams.data?.find((t) => t.teamId === selectedId) ?? null;

  return (
    <div className="screen screen-fill">
      <PageHeader title="Teams" subtitle="Pick a team to see its members. Use ⋯ on a member to impersonate them or open their profile." />
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
            {selected ? <TeamMembers key={selected.teamId} teamId={selected.teamId} teamName={selected.name} /> : teams.data && <EmptyState icon="team" title="No teams">This organization has no teams yet.</EmptyState>}
          </section>
        </div>
      )}
    </div>
  );
}

function TeamMembers({ teamId, teamName }: { teamId: string; teamName: string }) {
  const members = useAsync(() => getTeamMembers(teamId), [teamId]);
  const { state } = useConnection();
  const [target, setTarget] = useState<ImpersonationTarget | null>(null);

  return (
    <div className="card card-flush card-fill">
      <div className="card-head">
        <h2 className="card-title">{teamName}</h2>
        {members.data && <span className="count">{plural(members.data.length, 'member')}</span>}
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
      ) : members.data.length === 0 ? (
        <EmptyState icon="users" title="No members">Add people to this team in Sigma.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label={`Members of ${teamName}`}>
            <colgroup>
              <col style={{ width: '32%' }} />
              <col style={{ width: '32%' }} />
              <col style={{ width: '15%' }} />
              <col style={{ width: '13%' }} />
              <col style={{ width: '56px' }} />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Account type</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((tm) => {
                const name = memberName(tm);
                const blocked = tm.member
                  ? impersonationBlock(tm.member.impersonation, state?.actor)
                  : sentence(tm.impersonation.reason ?? 'The member record could not be found');
                return (
                  <tr key={tm.userId}>
                    <td>
                      <span className="cell-name">
                        <span className="truncate">{name}</span>
                        {tm.isTeamAdmin && <span className="tag">Team admin</span>}
                      </span>
                    </td>
                    <td className="muted truncate">{tm.member?.email ?? '—'}</td>
                    <td>{tm.member ? <AccountTypeBadge type={tm.member.memberType} /> : '—'}</td>
                    <td>{tm.member ? <StatusPill member={tm.member} /> : '—'}</td>
                    <td className="cell-actions">
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
            </tbody>
          </table>
        </div>
      )}
      <ImpersonateDialog target={target} onClose={() => setTarget(null)} />
    </div>
  );
}
