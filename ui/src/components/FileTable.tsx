import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';
import type { FileDto } from '../ipc';
import { FileTypeLabel, PermissionBadge } from './Badges';
import { rowWindow, SpacerRow } from './SpacerRow';

export const FILE_TYPES = ['workbook', 'dataset', 'data-model', 'folder', 'report'] as const;

export function FileTypeSelect({ value, onChange, id = 'file-type' }: { value: string; onChange: (v: string) => void; id?: string }) {
  return (
    <div className="inline-field">
      <label htmlFor={id}>Type</label>
      <select id={id} className="select select-sm" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="all">All types</option>
        {FILE_TYPES.map((t) => (
          <option key={t} value={t}>
            {t === 'data-model' ? 'Data model' : t.charAt(0).toUpperCase() + t.slice(1)}
          </option>
        ))}
      </select>
    </div>
  );
}

const ROW_HEIGHT = 44;

/**
 * Documents with their access level; `access` replaces the access column (Compare shows both access levels), and
 * `action` adds a last, narrow column with one control per row (Compare's "Why?"; its header is for screen readers).
 * Only the rows in view are in the DOM: an org with tens of thousands of documents stays smooth. The table scrolls
 * inside its own box (`maxHeight`, CSS length), its header sticky.
 */
export function FileTable({
  files,
  label,
  access = (f) => <PermissionBadge permission={f.permission} />,
  accessHeader = 'Access level',
  maxHeight,
  action,
}: {
  files: FileDto[];
  label: string;
  access?: (f: FileDto) => ReactNode;
  accessHeader?: string;
  maxHeight?: string;
  action?: { header: string; render: (f: FileDto) => ReactNode };
}) {
  const columns = action ? 5 : 4;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: files.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => files[i]?.id ?? i,
  });
  const { items, padTop, padBottom } = rowWindow(virtualizer);
  return (
    // Focusable, so the rows can be scrolled with the keyboard (they hold nothing else that takes focus).
    <div
      className="table-scroll file-table-scroll"
      ref={scrollRef}
      style={maxHeight ? { maxHeight } : undefined}
      tabIndex={0}
      role="region"
      aria-label={`${label}, scrollable`}
    >
      <table className="table" aria-label={label} aria-rowcount={files.length + 1}>
        <colgroup>
          <col style={{ width: '32%' }} />
          <col style={{ width: '13%' }} />
          <col style={{ width: '17%' }} />
          <col />
          {action && <col style={{ width: '88px' }} />}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">{accessHeader}</th>
            <th scope="col">Path</th>
            {action && (
              <th scope="col">
                <span className="visually-hidden">{action.header}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={padTop} colSpan={columns} />
          {items.map((item) => {
            const f = files[item.index];
            if (!f) return null;
            return (
              <tr key={f.id} data-index={item.index} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                <td>
                  <span className="cell-name">
                    <span className="truncate">{f.name}</span>
                    {f.badge && <span className={`tag ${badgeClass(f.badge)}`}>{f.badge}</span>}
                  </span>
                </td>
                <td>
                  <FileTypeLabel type={f.fileType} />
                </td>
                <td>{access(f)}</td>
                <td className="muted truncate" title={f.path}>
                  {f.path}
                </td>
                {action && <td className="cell-actions">{action.render(f)}</td>}
              </tr>
            );
          })}
          <SpacerRow height={padBottom} colSpan={columns} />
        </tbody>
      </table>
    </div>
  );
}

/** Colours a document badge by what it means; a badge Sigma adds later gets the neutral look. */
export function badgeClass(badge: string): string {
  switch (badge.toLowerCase()) {
    case 'endorsed':
      return 'tag-accent';
    case 'warning':
      return 'tag-warning';
    case 'deprecated':
      return 'tag-danger';
    default:
      return '';
  }
}
