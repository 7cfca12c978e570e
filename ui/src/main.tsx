import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installMockBackendIfAsked } from './ipc';
import { createQueryClient, QueryClientProvider } from './lib/queries';
import { markWhenPainted, USERS_TABLE_PAINTED, USERS_TABLE_ROW } from './lib/paintMark';
import { applyStoredTheme } from './lib/theme';
import './styles/tokens.css';
import './styles/app.css';
import './styles/keyboard.css';

async function boot() {
  // Before anything renders, so a chosen dark theme never flashes light.
  applyStoredTheme();
  // The mock must be installed before the first IPC call the app makes.
  await installMockBackendIfAsked();
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
