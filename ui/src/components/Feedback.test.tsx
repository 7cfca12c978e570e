import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Loading, watchEarlyRetries } from './Feedback';

// Unmount (and unlisten) while the mocked event plugin still exists.
afterEach(() => {
  cleanup();
  clearMocks();
});

/** A throttled wait of 0 s (gone two seconds later), as Rust sends it. */
const throttledWait = {
  message: 'Sigma is throttling: retrying in 1 s (try 2 of 5)',
  path: '/v2/members',
  reason: 'throttled',
  delaySeconds: 0,
  nextTry: 2,
  maxTries: 5,
};

describe('Loading', () => {
  it('says why a long list pauses while Sigma throttles, then stops saying it', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    render(<Loading label="Loading users…" />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Loading users…');
    await vi.waitFor(async () => {
      await emit('sigma-retry', throttledWait);
      expect(screen.getByTestId('sigma-retry').textContent).toBe('Sigma is throttling: retrying in 1 s (try 2 of 5)');
    });
    // Inside the live region, so screen readers hear it too.
    expect(status.textContent).toContain('Sigma is throttling');
    // Gone once the wait (0 s here) and a moment have passed.
    await vi.waitFor(() => expect(screen.queryByTestId('sigma-retry')).toBeNull(), { timeout: 4000 });
  });

  it('shows a wait that began before it appeared (the users list asked for at boot), until that wait ends', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    await watchEarlyRetries();
    await emit('sigma-retry', throttledWait);
    // Only now does a loading line appear: it still says why the list pauses.
    render(<Loading label="Loading users…" />);
    expect(screen.getByTestId('sigma-retry').textContent).toBe('Sigma is throttling: retrying in 1 s (try 2 of 5)');
    await vi.waitFor(() => expect(screen.queryByTestId('sigma-retry')).toBeNull(), { timeout: 4000 });
  });
});
