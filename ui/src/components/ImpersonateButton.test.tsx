import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ImpersonateButton } from './ImpersonateButton';
import { TipProvider } from './Tip';

describe('ImpersonateButton', () => {
  it('is enabled without a reason', () => {
    const onClick = vi.fn();
    render(<ImpersonateButton blockedReason={null} onClick={onClick} />);
    const button = screen.getByRole('button', { name: 'Impersonate user' });
    expect(button.getAttribute('aria-disabled')).toBeNull();
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('is disabled with the reason as text, as description and as a tooltip', async () => {
    const onClick = vi.fn();
    const reason = 'priya.raman@acme.example is an Admin, and admins cannot impersonate other admins.';
    render(
      <TipProvider delayDuration={0}>
        <ImpersonateButton blockedReason={reason} onClick={onClick} />
      </TipProvider>,
    );
    const button = screen.getByRole('button', { name: 'Impersonate user' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByText(reason)).toBeTruthy();
    const describedBy = button.getAttribute('aria-describedby') ?? '';
    expect(describedBy.split(' ').some((id) => document.getElementById(id)?.textContent === reason)).toBe(true);
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();

    // Focus (keyboard) opens the tooltip, so the reason is reachable without a mouse.
    await act(async () => {
      button.focus();
    });
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip.textContent).toContain(reason);
  });
});
