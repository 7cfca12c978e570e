import { useId } from 'react';
import { Icon } from './Icon';
import { Tip } from './Tip';

/**
 * "Impersonate user". When not allowed it stays focusable (aria-disabled rather than disabled) so the tooltip
 * can be reached by keyboard and hover, and the reason is also written next to it.
 */
export function ImpersonateButton({ blockedReason, onClick }: { blockedReason: string | null; onClick: () => void }) {
  const reasonId = useId();
  const blocked = blockedReason !== null;
  return (
    <div className="impersonate-action">
      <Tip content={blockedReason}>
        <button
          type="button"
          className="btn btn-primary"
          aria-disabled={blocked || undefined}
          aria-describedby={blocked ? reasonId : undefined}
          onClick={() => {
            if (!blocked) onClick();
          }}
        >
          <Icon name="eye" />
          Impersonate user
        </button>
      </Tip>
      {blocked && (
        <p className="blocked-reason" id={reasonId}>
          <Icon name="lock" size={14} />
          <span>{blockedReason}</span>
        </p>
      )}
    </div>
  );
}
