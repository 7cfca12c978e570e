import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Loading } from './Feedback';

// Unmount (and unlisten) while the mocked event plugin still exists.
afterEach(() => {
  cleanup();
  clearMocks();
});

describe('Loading', () => {
  it('says why a long list pauses while Sigma throttles, then stops saying it', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    render(<Loading label="Loading users…" />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Loading users…');
    await vi.waitFor(async () => {
      await emit('sigma-retry', {
        message: 'Sigma is throttling: retrying in 1 s (try 2 of 5)',
        path: '/v2/members',
        reason: 'throttled',
        delaySeconds: 0,
        nextTry: 2,
        maxTries: 5,
      });
      expect(screen.getByTestId('sigma-retry').textContent).toBe('Sigma is throttling: retrying in 1 s (try 2 of 5)');
    });
    // Inside the live region, so screen readers hear it too.
    expect(status.textContent).toContain('Sigma is throttling');
    // Gone once the wait (0 s here) and a moment have passed.
    await vi.waitFor(() => expect(screen.queryByTestId('sigma-retry')).toBeNull(), { timeout: 4000 });
  });
});
