import { sessionWhoami } from '../../ipc';
import { AccountTypeBadge } from '../../components/Badges';
import { Loading } from '../../components/Feedback';
import { ErrorPanel } from '../../components/ErrorPanel';
import { prettyJson } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

export function WhoAmITab() {
  const who = useAsync(() => sessionWhoami(), []);
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
          <dd className="mono selectable">{who.data.userId}</dd>
        </div>
        <div className="detail">
          <dt>Organization ID</dt>
          <dd className="mono selectable">{who.data.organizationId}</dd>
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
