import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import {
  exportAudit,
  toErrorDto,
  verifyAudit,
  type AuditEntryDto,
  type AuditFilter,
  type AuditVerificationDto,
  type ErrorDto,
  type ExportFormat,
} from '../ipc';
import { EmptyState, Loading, SkeletonRows, Spinner } from '../components/Feedback';
import { CopyButton } from '../components/CopyButton';
import { ErrorPanel } from '../components/ErrorPanel';
import { EmailProfileLink } from '../components/ProfileLink';
import { Icon } from '../components/Icon';
import { SearchBox } from '../components/SearchBox';
import { PageHeader } from '../components/Shell';
import { formatDateTime, plural } from '../lib/format';
import { useAuditQuery } from '../lib/queries';
import { useSearchShortcut } from '../lib/useSearchShortcut';
import { useRevealExport } from '../lib/useRevealExport';
import { rowWindow, SpacerRow } from '../components/SpacerRow';

const EVENT_LABELS: Record<string, string> = {
  'impersonation.start': 'Started',
  'impersonation.stop': 'Stopped',
  'impersonation.expired': 'Expired',
  'impersonation.refused': 'Refused',
  'impersonation.request': 'Request',
  'impersonation.extend': 'Extended',
};

function eventLabel(event: string): string {
  return EVENT_LABELS[event] ?? event;
}

/** A request is recorded twice: before it is sent, and with its outcome (older logs: once, no phase). */
export function entryLabel(e: AuditEntryDto): string {
  if (e.event === 'impersonation.request' && e.phase === 'sent') return 'Request sent';
  if (e.event === 'impersonation.request' && e.phase === 'outcome') return 'Request result';
  return eventLabel(e.event);
}

/** What the Verify result says, and how loudly. */
export function verificationNotice(v: AuditVerificationDto): { tone: 'success' | 'warning' | 'danger'; title: string; text: string } {
  if (v.intact) {
    return { tone: 'success', title: 'Audit log intact', text: v.summary };
  }
  if (v.status === 'legacy') {
    return { tone: 'warning', title: 'Nothing to verify yet', text: v.summary };
  }
  return {
    tone: 'danger',
    title: v.problemLine !== null ? `Audit log altered at line ${v.problemLine}` : 'Audit log not intact',
    text: v.summary,
  };
}

function eventTone(event: string): string {
  if (event.endsWith('.refused')) return 'danger';
  if (event.endsWith('.start')) return 'accent';
  if (event.endsWith('.expired')) return 'warning';
  return 'neutral';
}

function detailText(e: AuditEntryDto): string {
  const parts: string[] = [];
  if (e.method || e.path) parts.push(`${e.method ?? ''} ${e.path ?? ''}`.trim());
  if (e.status !== null) parts.push(String(e.status));
  if (e.detail) parts.push(e.detail);
  return parts.join(' · ');
}

export function matchesAudit(e: AuditEntryDto, text: string, event: string): boolean {
  if (event !== 'all' && e.event !== event) return false;
  const t = text.trim().toLowerCase();
  if (!t) return true;
  return [e.actor, e.subject, e.reason, e.profile, e.path, e.detail, e.requestId, e.sessionId, e.reviewId]
    .filter((x): x is string => typeof x === 'string')
    .some((x) => x.toLowerCase().includes(t));
}

const AUDIT_ROW_HEIGHT = 44;

export function AuditScreen() {
  const entries = useAuditQuery();
  const [text, setText] = useState('');
  const [event, setEvent] = useState('all');
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [exported, setExported] = useState<{ path: string; count: number } | null>(null);
  // The export that failed, with its format and filter, so Retry repeats exactly that export.
  const [exportError, setExportError] = useState<{ error: ErrorDto; format: ExportFormat; filter: AuditFilter } | null>(null);
  const { revealError, reveal, clearRevealError } = useRevealExport();
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditVerificationDto | null>(null);
  const [verifyError, setVerifyError] = useState<ErrorDto | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  useSearchShortcut(searchRef);

  // Newest first on screen; the log itself (and its export) stays in chain order.
  const rows = useMemo(
    () => (entries.data ?? []).filter((e) => matchesAudit(e, text, event)).slice().reverse(),
    [entries.data, text, event],
  );
  const events = useMemo(() => [...new Set((entries.data ?? []).map((e) => e.event))].sort(), [entries.data]);
  // Only the entries in view are in the DOM: a log grows by a line per request made as a user, for years.
  const tableScroll = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => tableScroll.current,
    estimateSize: () => AUDIT_ROW_HEIGHT,
    overscan: 10,
  });
  const { items: visible, padTop, padBottom } = rowWindow(virtualizer);

  // What the table shows is what the file holds: the same filter goes to Rust.
  const filter: AuditFilter = { text, event: event === 'all' ? null : event };

  async function runExport(format: ExportFormat, which: AuditFilter) {
    setExporting(format);
    setExportError(null);
    setExported(null);
    clearRevealError();
    try {
      setExported(await exportAudit(format, which));
    } catch (e) {
      setExportError({ error: toErrorDto(e), format, filter: which });
    } finally {
      setExporting(null);
    }
  }


  async function runVerify() {
    setVerifying(true);
    setVerifyError(null);
    setVerification(null);
    try {
      setVerification(await verifyAudit());
    } catch (e) {
      setVerifyError(toErrorDto(e));
    } finally {
      setVerifying(false);
    }
  }

  const notice = verification ? verificationNotice(verification) : null;

  return (
    <div className="screen screen-fill">
      <PageHeader
        title="Audit log"
        subtitle="Every impersonation start, stop, expiry, request and refusal, as recorded in the local audit log."
        actions={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => void runVerify()} disabled={verifying}>
              {verifying ? <Spinner size={14} /> : <Icon name="lock" size={14} />}
              Verify
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => void runExport('csv', filter)} disabled={exporting !== null}>
              {exporting === 'csv' ? <Spinner size={14} /> : <Icon name="download" size={14} />}
              Export CSV
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => void runExport('json', filter)} disabled={exporting !== null}>
              {exporting === 'json' ? <Spinner size={14} /> : <Icon name="download" size={14} />}
              Export JSON
            </button>
          </>
        }
      />
      {exported && (
        <div className="inline-notice success" role="status">
          <Icon name="check" />
          <span>
            Exported {plural(exported.count, 'entry', 'entries')} to <code className="selectable">{exported.path}</code>
          </span>
          <CopyButton text={exported.path} label="Copy export path" />
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void reveal(exported.path)}>
            <Icon name="folder" size={14} />
            Show in folder
          </button>
        </div>
      )}
      {revealError && <ErrorPanel error={revealError} title="Could not show the export in its folder" compact />}
      {notice && (
        <div className={`inline-notice ${notice.tone}`} role={notice.tone === 'success' ? 'status' : 'alert'} data-testid="audit-verification">
          <Icon name={notice.tone === 'success' ? 'check' : 'warning'} />
          <span>
            <strong>{notice.title}.</strong> {notice.text}
          </span>
        </div>
      )}
      {verifyError && <ErrorPanel error={verifyError} title="Could not verify the audit log" onRetry={() => void runVerify()} />}
      {exportError && (
        <ErrorPanel
          error={exportError.error}
          title={`${exportError.format === 'csv' ? 'CSV' : 'JSON'} export failed`}
          onRetry={() => void runExport(exportError.format, exportError.filter)}
        />
      )}
      <div className="toolbar">
        <SearchBox ref={searchRef} value={text} onChange={setText} label="Filter audit log" placeholder="Filter by user, reason, path, request ID" shortcut />
        <div className="inline-field">
          <label htmlFor="audit-event">Event</label>
          <select id="audit-event" className="select select-sm" value={event} onChange={(e) => setEvent(e.target.value)}>
            <option value="all">All events</option>
            {events.map((ev) => (
              <option key={ev} value={ev}>
                {eventLabel(ev)}
              </option>
            ))}
          </select>
        </div>
        <span className="toolbar-spacer" />
        {entries.data && (
          <span className="count">
            {rows.length === entries.data.length ? plural(rows.length, 'entry', 'entries') : `${rows.length} of ${plural(entries.data.length, 'entry', 'entries')}`}
          </span>
        )}
        <button type="button" className="btn btn-ghost btn-sm" onClick={entries.reload} aria-label="Refresh audit log">
          <Icon name="refresh" size={14} />
        </button>
      </div>
      {entries.error ? (
        <ErrorPanel error={entries.error} title="Could not read the audit log" onRetry={entries.reload} />
      ) : !entries.data ? (
        <div className="card card-flush">
          <Loading label="Reading the audit log…" />
          <SkeletonRows columns={6} />
        </div>
      ) : rows.length === 0 ? (
        <EmptyState icon="log" title={entries.data.length === 0 ? 'No audit entries yet' : 'No entries match'}>
          {entries.data.length === 0 ? 'Impersonations you start are recorded here.' : 'Clear the filter to see every entry.'}
        </EmptyState>
      ) : (
        <div className="card card-flush card-fill">
          <div className="table-scroll" ref={tableScroll}>
            <table className="table" aria-label="Audit log" aria-rowcount={rows.length + 1}>
              <colgroup>
                <col style={{ width: '200px' }} />
                <col style={{ width: '120px' }} />
                <col style={{ width: '17%' }} />
                <col style={{ width: '19%' }} />
                <col style={{ width: '14%' }} />
                <col />
              </colgroup>
              <thead>
                <tr aria-rowindex={1}>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                <SpacerRow height={padTop} colSpan={6} />
                {visible.map(({ index: i }) => {
                  const e = rows[i];
                  if (!e) return null;
                  return (
                    <tr key={`${e.time}-${i}`} data-index={i} aria-rowindex={i + 2} style={{ height: AUDIT_ROW_HEIGHT }}>
                      <td className="nowrap small">{formatDateTime(e.time)}</td>
                      <td>
                        <span className={`event event-${eventTone(e.event)}`}>{entryLabel(e)}</span>
                      </td>
                      <td className="truncate" title={e.actor}>
                        {e.actor}
                      </td>
                      <td className="truncate" title={e.subject}>
                        {e.subject ? <EmailProfileLink email={e.subject} /> : '—'}
                      </td>
                      <td className="truncate" title={e.reason ?? ''}>
                        {e.reason ?? <span className="muted">—</span>}
                      </td>
                      <td className="truncate small" title={detailText(e)}>
                        {e.reviewId && (
                          // Every record of one access review carries its ID: one click shows the whole review.
                          <button
                            type="button"
                            className="chip chip-button audit-review"
                            onClick={() => setText(e.reviewId ?? '')}
                            title={`Access review ${e.reviewId}: show only its records`}
                          >
                            <span aria-hidden="true">Review {e.reviewId.slice(0, 8)}</span>
                            <span className="visually-hidden">Show access review {e.reviewId}</span>
                          </button>
                        )}
                        <span className="mono">{detailText(e) || (e.reviewId ? '' : '—')}</span>
                        {e.requestId && (
                          <>
                            <span className="muted"> · {e.requestId}</span>
                            <CopyButton text={e.requestId} label={`Copy request ID ${e.requestId}`} />
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
                <SpacerRow height={padBottom} colSpan={6} />
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
