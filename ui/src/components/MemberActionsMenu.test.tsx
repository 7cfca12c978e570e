import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { MemberActionsMenu } from './MemberActionsMenu';

function setup(blockedReason: string | null) {
  const onImpersonate = vi.fn();
  const onViewProfile = vi.fn();
  render(
    <MemberActionsMenu name="Grace Chen" blockedReason={blockedReason} canViewProfile onImpersonate={onImpersonate} onViewProfile={onViewProfile} />,
  );
  return { onImpersonate, onViewProfile, user: userEvent.setup() };
}

describe('MemberActionsMenu (⋯)', () => {
  it('is named for the member and offers Impersonate user and View profile', async () => {
    const { onImpersonate, user } = setup(null);
    await user.click(screen.getByRole('button', { name: 'More actions for Grace Chen' }));
    const items = await screen.findAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['Impersonate user', 'View profile']);
    await user.click(screen.getByRole('menuitem', { name: 'Impersonate user' }));
    expect(onImpersonate).toHaveBeenCalledOnce();
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('disables Impersonate user with its reason; View profile still works; Escape closes', async () => {
    const { onImpersonate, onViewProfile, user } = setup('grace.chen@acme.example is archived (deactivated) and cannot be impersonated.');
    await user.click(screen.getByRole('button', { name: 'More actions for Grace Chen' }));
    const item = await screen.findByRole('menuitem', { name: 'Impersonate user' });
    expect(item.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('menu').textContent).toContain('is archived (deactivated)');
    const describedBy = item.getAttribute('aria-describedby');
    expect(describedBy && document.getElementById(describedBy)?.textContent).toMatch(/archived/);
    await user.click(item);
    expect(onImpersonate).not.toHaveBeenCalled();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'More actions for Grace Chen' }));
    await user.click(await screen.findByRole('menuitem', { name: 'View profile' }));
    expect(onViewProfile).toHaveBeenCalledOnce();
  });
});
