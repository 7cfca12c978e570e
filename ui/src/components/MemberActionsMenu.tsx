import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useId } from 'react';
import { Icon } from './Icon';

/**
 * The ⋯ (More) menu of a team member row: Impersonate user (disabled with its reason) and View profile.
 * Radix gives arrow-key navigation, typeahead, and Escape to close.
 */
export function MemberActionsMenu({
  name,
  blockedReason,
  canViewProfile,
  onImpersonate,
  onViewProfile,
}: {
  name: string;
  blockedReason: string | null;
  canViewProfile: boolean;
  onImpersonate: () => void;
  onViewProfile: () => void;
}) {
  const reasonId = useId();
  return (
    // Non-modal: a modal menu hides the rest of the page with aria-hidden while focus can still leave it.
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button type="button" className="btn btn-icon btn-ghost" aria-label={`More actions for ${name}`}>
          <Icon name="more" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4} collisionPadding={8}>
          <DropdownMenu.Item
            className="menu-item"
            disabled={blockedReason !== null}
            onSelect={onImpersonate}
            aria-describedby={blockedReason ? reasonId : undefined}
          >
            <Icon name="eye" />
            <span className="menu-item-text">
              <span>Impersonate user</span>
              {blockedReason && (
                // Described by (not named by) the reason: the item's name stays "Impersonate user".
                <span className="menu-item-reason" id={reasonId} aria-hidden="true">
                  {blockedReason}
                </span>
              )}
            </span>
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu-item" disabled={!canViewProfile} onSelect={onViewProfile}>
            <Icon name="user" />
            <span className="menu-item-text">View profile</span>
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
