import { lazy, Suspense } from 'react';
import { Banner } from './components/Banner';
import { GlobalShortcuts } from './components/CommandPalette';
import { Loading } from './components/Feedback';
import { NoticeArea, Sidebar, TopBar } from './components/Shell';
import { TipProvider } from './components/Tip';
import { AppQueryScope } from './lib/queries';
import { UsersScreen } from './screens/UsersScreen';
import { ConnectionProvider, useConnection } from './state/connection';
import { NoticesProvider } from './state/notices';
import { useRoute, type Route } from './state/router';
import { SessionProvider, useSession } from './state/session';

// Users is the first screen (and the launch budget: the users table painted < 1 s after launch, BENCHMARKS.md
// §5), so it is in the main bundle; every other screen is a chunk of its own, loaded when first opened: the web
// view parses less than half the JavaScript before the first paint. Each import is a local file: instant.
const ConnectionsScreen = lazy(() => import('./screens/ConnectionsScreen').then((m) => ({ default: m.ConnectionsScreen })));
const UserProfileScreen = lazy(() => import('./screens/UserProfileScreen').then((m) => ({ default: m.UserProfileScreen })));
const TeamsScreen = lazy(() => import('./screens/TeamsScreen').then((m) => ({ default: m.TeamsScreen })));
const ViewingScreen = lazy(() => import('./screens/ViewingScreen').then((m) => ({ default: m.ViewingScreen })));
const ReviewScreen = lazy(() => import('./screens/review/ReviewScreen').then((m) => ({ default: m.ReviewScreen })));
const AuditScreen = lazy(() => import('./screens/AuditScreen').then((m) => ({ default: m.AuditScreen })));

function Screen({ route }: { route: Route }) {
  return (
    <Suspense fallback={<Loading label="Loading…" />}>
      <RouteScreen route={route} />
    </Suspense>
  );
}

function RouteScreen({ route }: { route: Route }) {
  switch (route.name) {
    case 'connections':
      return <ConnectionsScreen />;
    case 'users':
      return <UsersScreen />;
    case 'user':
      return <UserProfileScreen memberId={route.memberId} />;
    case 'teams':
      return <TeamsScreen teamId={route.teamId} />;
    case 'viewing':
      return <ViewingScreen tab={route.tab} />;
    case 'review':
      return <ReviewScreen />;
    case 'audit':
      return <AuditScreen />;
  }
}

function Layout() {
  const route = useRoute();
  const { session, deadlineMs, expiringSoon, stopping, stop, extending, extend, ready: sessionReady } = useSession();
  const { state, ready: connectionReady } = useConnection();
  return (
    <div className={session ? 'app has-banner' : 'app'}>
      {session && deadlineMs !== null && (
        <Banner
          session={session}
          deadlineMs={deadlineMs}
          expiringSoon={expiringSoon}
          stopping={stopping}
          onStop={() => void stop()}
          extending={extending}
          onExtend={() => void extend()}
        />
      )}
      <Sidebar route={route} sessionActive={session !== null} />
      <div className="main-col">
        <TopBar />
        {/* Keyed by connection and session so every screen reloads its data when either changes. */}
        <main className="content" id="main" key={`${state?.connection.name ?? ''}|${session?.id ?? ''}|${route.name}`}>
          {connectionReady && sessionReady ? <Screen route={route} /> : <Loading label="Connecting…" />}
        </main>
      </div>
      <NoticeArea />
      <GlobalShortcuts />
    </div>
  );
}

export function App() {
  return (
    <NoticesProvider>
      <TipProvider delayDuration={300}>
        <ConnectionProvider>
          <SessionProvider>
            <AppQueryScope>
              <Layout />
            </AppQueryScope>
          </SessionProvider>
        </ConnectionProvider>
      </TipProvider>
    </NoticesProvider>
  );
}
