import type { TokenInfoDto } from '../../ipc';
import { Loading } from '../../components/Feedback';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatDateTime, formatRelative, prettyJson } from '../../lib/format';
import { useTokensQuery } from '../../lib/queries';
import { useNow } from '../../lib/useNow';

const TITLES: Record<TokenInfoDto['kind'], string> = {
  actor: 'Actor token',
  subject: 'Subject token',
  impersonation: 'Impersonation token',
};

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

function ClaimValue({ name, value }: { name: string; value: unknown }) {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') {
    return (
      <>
        <code>{value}</code> <span className="muted">({formatDateTime(new Date(value * 1000).toISOString())})</span>
      </>
    );
  }
  return <code className="selectable">{typeof value === 'string' ? value : prettyJson(value)}</code>;
}

function ClaimTable({ title, entries }: { title: string; entries: Record<string, unknown> }) {
  return (
    <table className="table table-compact" aria-label={title}>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(entries).map(([k, v]) => (
          <tr key={k}>
            <td className="mono">{k}</td>
            <td>
              <ClaimValue name={k} value={v} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Claims and expiry of the three tokens of the flow. Rust sends decoded claims only, never a token. */
export function TokensTab() {
  const tokens = useTokensQuery();
  const now = useNow(1000);
  if (tokens.error) return <ErrorPanel error={tokens.error} title="Could not read the tokens" onRetry={tokens.reload} />;
  if (!tokens.data) return <Loading label="Reading token claims…" />;
  return (
    <div className="token-grid">
      {tokens.data.map((t) => {
        const exp = t.expiresAt ? Date.parse(t.expiresAt) : NaN;
        const expired = !Number.isNaN(exp) && exp <= now;
        return (
          <section className="card card-flush token-card" key={t.kind} aria-labelledby={`tok-${t.kind}`}>
            <div className="card-head">
              <h2 className="card-title" id={`tok-${t.kind}`}>
                {TITLES[t.kind]}
              </h2>
              {t.expiresAt && (
                <span className={expired ? 'pill pill-archived' : 'pill pill-active'}>
                  {expired ? 'Expired' : 'Valid'} · {Number.isNaN(exp) ? t.expiresAt : formatRelative(exp, now)}
                </span>
              )}
            </div>
            <p className="muted padded-x">{t.note}</p>
            {t.expiresAt && <p className="padded-x small">Expires {formatDateTime(t.expiresAt)}</p>}
            {t.header && <ClaimTable title="Header" entries={t.header} />}
            {t.claims ? <ClaimTable title="Claim" entries={t.claims} /> : <p className="muted padded">No readable claims (opaque token).</p>}
          </section>
        );
      })}
    </div>
  );
}
