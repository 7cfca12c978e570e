import type { ReactNode } from 'react';
import { AccountTypeBadge } from './Badges';
import { Icon, type IconName } from './Icon';
import { ThemeSwitch } from './ThemeSwitch';
import { Tip } from './Tip';
import { sentence } from '../lib/eligibility';
import { useConnection } from '../state/connection';
import { routeHref, type Route } from '../state/router';
import { useNotices } from '../state/notices';

interface NavItem {
  label: string;
  icon: IconName;
  route: Route;
  matches: Route['name'][];
}

export function Sidebar({ route, sessionActive }: { route: Route; sessionActive: boolean }) {
  const items: NavItem[] = [
    { label: 'Connections', icon: 'plug', route: { name: 'connections' }, matches: ['connections'] },
    { label: 'Users', icon: 'users', route: { name: 'users' }, matches: ['users', 'user'] },
    { label: 'Teams', icon: 'team', route: { name: 'teams', teamId: null }, matches: ['teams'] },
    ...(sessionActive
      ? [{ label: 'Viewing as user', icon: 'eye' as const, route: { name: 'viewing' as const, tab: 'whoami' as const }, matches: ['viewing' as const] }]
      : []),
    { label: 'Access review', icon: 'matrix', route: { name: 'review' }, matches: ['review'] },
    { label: 'Audit log', icon: 'log', route: { name: 'audit' }, matches: ['audit'] },
  ];
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          S
        </span>
        <span className="brand-name">Stand-in</span>
      </div>
      <p className="sidebar-section">Administration</p>
      <ul className="nav-list">
        {items.map((item) => {
          const current = item.matches.includes(route.name);
          return (
            <li key={item.label}>
              <a
                className={current ? 'nav-link active' : 'nav-link'}
                href={routeHref(item.route)}
                aria-current={current ? 'page' : undefined}
              >
                <Icon name={item.icon} />
                <span>{item.label}</span>
                {item.route.name === 'viewing' && <span className="nav-dot" aria-hidden="true" />}
              </a>
            </li>
          );
        })}
      </ul>
      <div className="sidebar-bottom">
        <ThemeSwitch />
        <p className="sidebar-foot">Sigma user impersonation</p>
      </div>
    </nav>
  );
}

export function TopBar() {
  const { state, error, loading } = useConnection();
  const actor = state?.actor ?? null;
  const notAdmin = actor !== null && !actor.canImpersonate;
  return (
    <header className="topbar">
      <div className="topbar-connection">
        <span className="topbar-label">Connection</span>
        <a className="topbar-conn-name" href="#/connections">
          <span className={state?.connection.kind === 'sandbox' ? 'conn-dot sandbox' : 'conn-dot'} aria-hidden="true" />
          {state ? state.connection.name : loading ? 'Loading…' : 'None'}
        </a>
        {state && <span className="topbar-url">{state.connection.baseUrl}</span>}
      </div>
      <div className="topbar-actor">
        {error && <span className="topbar-warning">Could not read the active connection: {error.message}</span>}
        {state?.actorError && (
          <Tip content={`${sentence(state.actorError.message)}${state.actorError.requestId ? ` Request ID ${state.actorError.requestId}.` : ''}`}>
            <span className="topbar-warning" tabIndex={0}>
              <Icon name="warning" size={14} />
              Credentials not verified
            </span>
          </Tip>
        )}
        {actor && (
          <>
            <span className="topbar-label">Signed in as</span>
            <span className="topbar-actor-name">{actor.name ?? actor.email ?? actor.userId}</span>
            <AccountTypeBadge type={actor.accountType} />
          </>
        )}
        {notAdmin && (
          <span className="topbar-warning" role="note">
            <Icon name="warning" size={14} />
            Not an Admin: impersonation is unavailable
          </span>
        )}
      </div>
    </header>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
  breadcrumb,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  breadcrumb?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div className="page-header-text">
        {breadcrumb && <nav className="breadcrumb" aria-label="Breadcrumb">{breadcrumb}</nav>}
        <h1 className="page-title">{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function NoticeArea() {
  const { notices, dismiss } = useNotices();
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.tone}`}>
          <Icon name={n.tone === 'error' ? 'error' : n.tone === 'warning' ? 'warning' : n.tone === 'success' ? 'check' : 'info'} />
          <div className="notice-text">
            <p className="notice-title">{n.title}</p>
            {n.body && <p className="notice-body">{n.body}</p>}
          </div>
          <button type="button" className="btn btn-icon btn-ghost btn-sm" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
