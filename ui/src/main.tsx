import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { watchEarlyRetries } from './components/Feedback';
import { installMockBackendIfAsked } from './ipc';
import { createQueryClient, prefetchUsersAtBoot, QueryClientProvider } from './lib/queries';
import { markWhenPainted, USERS_TABLE_PAINTED, USERS_TABLE_ROW } from './lib/paintMark';
import { applyStoredTheme } from './lib/theme';
import { parseRoute } from './state/router';
import './styles/tokens.css';
import './styles/app.css';
import './styles/keyboard.css';

async function boot() {
  // bench/app.sh (BENCH_PHASES=1) reads this: when the main script started running, since the page's origin.
  performance.mark('standin:boot');
  // Before anything renders, so a chosen dark theme never flashes light.
  applyStoredTheme();
  // The mock must be installed before the first IPC call the app makes.
  await installMockBackendIfAsked();
  // When the app opens on Users, the users list is asked for now, while the rest of the first screen's data
  // and the shell come in; once the retry listener is in place, so a throttled wait for it still reaches the
  // loading line. Neither holds up the first render.
  if (parseRoute(window.location.hash).name === 'users') void watchEarlyRetries().then(prefetchUsersAtBoot);
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from index.html');
  // bench/app.sh reads this mark: launch to the users table painted (a performance budget, BENCHMARKS.md).
  markWhenPainted(root, USERS_TABLE_ROW, USERS_TABLE_PAINTED);
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={createQueryClient()}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}

void boot();
