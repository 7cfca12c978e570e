import type { ErrorDto, MemberAttributeDto, SessionDto } from '../../ipc';
import { AccountTypeBadge } from '../../components/Badges';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState, Loading } from '../../components/Feedback';
import { ErrorPanel } from '../../components/ErrorPanel';
import { attributeSource, warehouseUse } from '../../lib/attributes';
import { prettyJson } from '../../lib/format';
import { useUserQuery, useWhoamiQuery } from '../../lib/queries';
import { routeHref } from '../../state/router';

/**
 * Who the server says you are (with the impersonation token), and, from the user's profile (read with your
 * own credentials), their teams and user attributes — the role and warehouse Sigma applies to warehouse
 * connections while you act as them.
 */
export function WhoAmITab({ session }: { session: SessionDto }) {
  return (
    <div className="stack">
      <ServerView />
      {session.subjectId ? (
        <ProfileView memberId={session.subjectId} />
      ) : (
        <p className="muted">
          Their teams and user attributes cannot be read here: on a tenant connection Stand-in cannot read the tenant
          org’s members.
        </p>
      )}
    </div>
  );
}

function ServerView() {
  const who = useWhoamiQuery();
  if (who.error) return <ErrorPanel error={who.error} title="Could not ask Sigma who you are" onRetry={who.reload} />;
  if (!who.data) return <Loading label="Asking Sigma who you are…" />;
  const extra = Object.entries(who.data.extra);
  return (
    <section className="card" aria-labelledby="whoami-h">
      <h2 className="card-title" id="whoami-h">
        As the server sees it
      </h2>
      <p className="muted card-lead">
        The answer of <code>GET /v2/whoami</code> sent with the impersonation token.
      </p>
      <dl className="details">
        <div className="detail">
          <dt>User ID</dt>
          <dd className="mono selectable">
            {who.data.userId} <CopyButton text={who.data.userId} label="Copy user ID" />
          </dd>
        </div>
        <div className="detail">
          <dt>Organization ID</dt>
          <dd className="mono selectable">
            {who.data.organizationId} <CopyButton text={who.data.organizationId} label="Copy organization ID" />
          </dd>
        </div>
        <div className="detail">
          <dt>Account type</dt>
          <dd>{who.data.accountType ? <AccountTypeBadge type={who.data.accountType} /> : '—'}</dd>
        </div>
        {extra.map(([k, v]) => (
          <div className="detail" key={k}>
            <dt>{k}</dt>
            <dd className="mono selectable">{typeof v === 'string' ? v : prettyJson(v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ProfileView({ memberId }: { memberId: string }) {
  const profile = useUserQuery(memberId);
  const profileLink = (
    <a href={routeHref({ name: 'user', memberId })} className="btn btn-ghost btn-sm">
      Open their profile
    </a>
  );
  if (profile.error) return <ErrorPanel error={profile.error} title="Could not load this user’s profile" onRetry={profile.reload} />;
  if (!profile.data) return <Loading label="Loading their teams and user attributes…" />;
  const { teams, attributes } = profile.data;
  return (
    <>
      <section className="card card-flush" aria-labelledby="whoami-teams-h">
        <div className="card-head">
          <h2 className="card-title" id="whoami-teams-h">
            Their teams {teams.value && <span className="count-chip">{teams.value.length}</span>}
          </h2>
          {profileLink}
        </div>
        <div className="padded">
          {teams.value === null ? (
            <SectionError error={teams.error} what="their teams" onRetry={profile.reload} />
          ) : teams.value.length === 0 ? (
            <p className="muted">Not a member of any team.</p>
          ) : (
            <ul className="chip-list">
              {teams.value.map((t) => (
                <li key={t.teamId}>
                  <a className="chip" href={routeHref({ name: 'teams', teamId: t.teamId })}>
                    {t.name}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>
      <section className="card card-flush" aria-labelledby="whoami-attrs-h">
        <h2 className="card-title padded" id="whoami-attrs-h">
          Their user attributes {attributes.value && <span className="count-chip">{attributes.value.length}</span>}
        </h2>
        <p className="muted card-lead padded-x">
          On warehouse connections that use user attributes, Sigma runs this user’s queries with the role and warehouse
          named below — and does so while you impersonate them.
        </p>
        {attributes.value === null ? (
          <div className="padded">
            <SectionError error={attributes.error} what="their user attributes" onRetry={profile.reload} />
          </div>
        ) : attributes.value.length === 0 ? (
          <EmptyState title="No user attributes">Sigma applies the connections’ own role and warehouse to this user.</EmptyState>
        ) : (
          <AttributesTable attributes={attributes.value} />
        )}
      </section>
    </>
  );
}

function AttributesTable({ attributes }: { attributes: MemberAttributeDto[] }) {
  return (
    <table className="table" aria-label="Their user attributes">
      <thead>
        <tr>
          <th scope="col">Attribute</th>
          <th scope="col">Value</th>
          <th scope="col">Source</th>
          <th scope="col">On warehouse connections</th>
        </tr>
      </thead>
      <tbody>
        {attributes.map((a) => {
          const use = warehouseUse(a);
          return (
            <tr key={a.userAttributeId}>
              <td>{a.name}</td>
              <td>
                <code>{a.value}</code>
              </td>
              <td className="muted">{attributeSource(a.source)}</td>
              <td>{use ? <span className="tag tag-accent">Applied as the {use}</span> : <span className="muted">—</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SectionError({ error, what, onRetry }: { error: ErrorDto | null; what: string; onRetry: () => void }) {
  // The contract sets one of value and error; a section with neither is shown as failed, never as empty.
  const shown = error ?? { code: 'missing', message: `the answer held no ${what}`, requestId: null, rule: null };
  return <ErrorPanel error={shown} title={`Could not load ${what}`} onRetry={onRetry} compact />;
}
