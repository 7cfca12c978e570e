import { useMemo, useSyncExternalStore } from 'react';

/**
 * A tiny hash router: the app is served from a custom protocol with no server, so the hash is the one part of
 * the URL we own. Routes are parsed into a typed union so screens never parse strings themselves.
 */
export type ViewTab = 'whoami' | 'documents' | 'my-documents' | 'compare' | 'console' | 'tokens';
export const VIEW_TABS: readonly ViewTab[] = ['whoami', 'documents', 'my-documents', 'compare', 'console', 'tokens'];

export type Route =
  | { name: 'connections' }
  | { name: 'users' }
  | { name: 'user'; memberId: string }
  | { name: 'teams'; teamId: string | null }
  | { name: 'viewing'; tab: ViewTab }
  | { name: 'review' }
  | { name: 'audit' };

export const DEFAULT_ROUTE: Route = { name: 'users' };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p.length > 0)
    .map((p) => decodeURIComponent(p));
  const [head, arg] = parts;
  switch (head) {
    case 'connections':
      return { name: 'connections' };
    case 'users':
      return arg ? { name: 'user', memberId: arg } : { name: 'users' };
    case 'teams':
      return { name: 'teams', teamId: arg ?? null };
    case 'viewing': {
      const tab = VIEW_TABS.find((t) => t === arg) ?? 'whoami';
      return { name: 'viewing', tab };
    }
    case 'review':
      return { name: 'review' };
    case 'audit':
      return { name: 'audit' };
    default:
      return DEFAULT_ROUTE;
  }
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'connections':
      return '#/connections';
    case 'users':
      return '#/users';
    case 'user':
      return `#/users/${encodeURIComponent(route.memberId)}`;
    case 'teams':
      return route.teamId ? `#/teams/${encodeURIComponent(route.teamId)}` : '#/teams';
    case 'viewing':
      return `#/viewing/${route.tab}`;
    case 'review':
      return '#/review';
    case 'audit':
      return '#/audit';
  }
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function getHash(): string {
  return window.location.hash;
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash, getHash);
  return useMemo(() => parseRoute(hash), [hash]);
}
