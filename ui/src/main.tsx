import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installMockBackendIfAsked } from './ipc';
import { createQueryClient, QueryClientProvider } from './lib/queries';
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
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={createQueryClient()}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}

void boot();
