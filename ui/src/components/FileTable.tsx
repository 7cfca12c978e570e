import type { FileDto } from '../ipc';
import { FileTypeLabel, PermissionBadge } from './Badges';

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

/** Documents with their access level; `extra` adds a column (Compare shows both access levels). */
export function FileTable({
  files,
  label,
  access = (f) => <PermissionBadge permission={f.permission} />,
  accessHeader = 'Access level',
}: {
  files: FileDto[];
  label: string;
  access?: (f: FileDto) => React.ReactNode;
  accessHeader?: string;
}) {
  return (
    <table className="table" aria-label={label}>
      <colgroup>
        <col style={{ width: '32%' }} />
        <col style={{ width: '13%' }} />
        <col style={{ width: '17%' }} />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">{accessHeader}</th>
          <th scope="col">Path</th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.id}>
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
          </tr>
        ))}
      </tbody>
    </table>
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
