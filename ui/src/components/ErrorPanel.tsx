import { useMemo } from 'react';
import type { ErrorDto } from '../ipc';
import { diagnosticsText } from '../lib/diagnostics';
import { sentence } from '../lib/eligibility';
import { useConnectionOrNull } from '../state/connection';
import { CopyButton } from './CopyButton';
import { Icon } from './Icon';

/**
 * How every failure is shown: what happened, the stable code, and Sigma's request ID (what Sigma support asks
 * for), with Retry when the action can be repeated, and Copy diagnostics for a ticket (no secret, no token).
 */
export function ErrorPanel({
  error,
  onRetry,
  title = 'Something went wrong',
  compact = false,
}: {
  error: ErrorDto;
  onRetry?: () => void;
  title?: string;
  compact?: boolean;
}) {
  const connection = useConnectionOrNull()?.state?.connection.name ?? null;
  // When it failed: the moment the panel first showed this error (a new error, a new time), not when Copy was pressed.
  const at = useMemo(() => new Date(), [error]);
  const diagnostics = diagnosticsText({ title, error, connection, at });
  return (
    <div className={compact ? 'error-panel compact' : 'error-panel'} role="alert">
      <Icon name="error" className="error-panel-icon" size={18} />
      <div className="error-panel-body">
        <p className="error-panel-title">{title}</p>
        <p className="error-panel-message">{sentence(error.message)}</p>
        <dl className="error-panel-meta">
          <div>
            <dt>Code</dt>
            <dd>
              <code>{error.code}</code>
            </dd>
          </div>
          {error.rule && (
            <div>
              <dt>Rule</dt>
              <dd>
                <code>{error.rule}</code>
              </dd>
            </div>
          )}
          {error.requestId && (
            <div>
              <dt>Request ID</dt>
              <dd>
                <code className="selectable">{error.requestId}</code>
                <CopyButton text={error.requestId} label="Copy request ID" />
              </dd>
            </div>
          )}
        </dl>
      </div>
      <div className="error-panel-actions">
        {onRetry && (
          <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
            <Icon name="refresh" size={14} />
            Retry
          </button>
        )}
        <CopyButton text={diagnostics} label="Copy diagnostics" showText />
      </div>
    </div>
  );
}
