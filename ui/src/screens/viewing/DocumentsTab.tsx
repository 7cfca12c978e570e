import { useMemo, useState } from 'react';
import { EmptyState, Loading, SkeletonRows } from '../../components/Feedback';
import { ErrorPanel } from '../../components/ErrorPanel';
import { FileTable, FileTypeSelect } from '../../components/FileTable';
import { plural } from '../../lib/format';
import { useFilesQuery, useMyDocumentsQuery } from '../../lib/queries';

export function DocumentsTab() {
  const [type, setType] = useState('all');
  const files = useFilesQuery(type === 'all' ? null : type);
  const counts = useMemo(() => {
    const byPermission = new Map<string, number>();
    for (const f of files.data ?? []) byPermission.set(f.permission, (byPermission.get(f.permission) ?? 0) + 1);
    return [...byPermission.entries()].sort((a, b) => b[1] - a[1]);
  }, [files.data]);
  return (
    <div className="stack">
      <div className="toolbar">
        <FileTypeSelect value={type} onChange={setType} />
        <span className="toolbar-spacer" />
        {files.data && (
          <span className="count">
            {plural(files.data.length, 'document')}
            {counts.length > 0 && ` · ${counts.map(([p, n]) => `${n} ${p}`).join(', ')}`}
          </span>
        )}
      </div>
      <div className="card card-flush">
        {files.error ? (
          <div className="padded">
            <ErrorPanel error={files.error} title="Could not list documents" onRetry={files.reload} />
          </div>
        ) : !files.data ? (
          <>
            <Loading label="Loading documents as the user…" />
            <SkeletonRows />
          </>
        ) : files.data.length === 0 ? (
          <EmptyState icon="log" title="No documents">
            This user cannot see any {type === 'all' ? 'documents' : `${type}s`}.
          </EmptyState>
        ) : (
          <FileTable files={files.data} label="Documents the user can see" />
        )}
      </div>
    </div>
  );
}

export function MyDocumentsTab() {
  const files = useMyDocumentsQuery();
  return (
    <div className="card card-flush">
      {files.error ? (
        <div className="padded">
          <ErrorPanel error={files.error} title="Could not list My Documents" onRetry={files.reload} />
        </div>
      ) : !files.data ? (
        <Loading label="Loading My Documents…" />
      ) : files.data.length === 0 ? (
        <EmptyState icon="log" title="My Documents is empty">
          The user has nothing in their personal folder.
        </EmptyState>
      ) : (
        <FileTable files={files.data} label="My Documents" />
      )}
    </div>
  );
}
