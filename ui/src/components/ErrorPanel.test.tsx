import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorPanel } from './ErrorPanel';

describe('ErrorPanel', () => {
  it('shows message, code, rule and Sigma request ID, and retries', () => {
    const retry = vi.fn();
    render(
      <ErrorPanel
        title="Could not load users"
        error={{ code: 'sigma_error', message: 'Sigma had a server error (503)', requestId: 'req_51c0a2', rule: null }}
        onRetry={retry}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not load users');
    expect(alert.textContent).toContain('Sigma had a server error (503).');
    expect(alert.textContent).toContain('Codesigma_error');
    expect(alert.textContent).toContain('Request IDreq_51c0a2');
    expect(alert.textContent).not.toContain('Rule');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('shows the rule of a refusal and no request ID or Retry when there are none', () => {
    render(<ErrorPanel error={{ code: 'refused', message: 'read only', requestId: null, rule: 'read_only' }} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Ruleread_only');
    expect(alert.textContent).not.toContain('Request ID');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
