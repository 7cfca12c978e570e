import type { MemberDto } from '../ipc';
import { titleCase } from '../lib/format';

const KNOWN_TYPES = ['admin', 'creator', 'explorer', 'viewer'] as const;

/** Account type badge; Sigma's built-in types get their own colour, custom types share one. */
export function AccountTypeBadge({ type }: { type: string }) {
  const key = type.toLowerCase();
  const tone = (KNOWN_TYPES as readonly string[]).includes(key) ? key : 'custom';
  return <span className={`badge badge-${tone}`}>{titleCase(type)}</span>;
}

export function StatusPill({ member }: { member: Pick<MemberDto, 'isArchived' | 'isInactive'> }) {
  if (member.isArchived) return <span className="pill pill-archived">Archived</span>;
  if (member.isInactive) return <span className="pill pill-inactive">Inactive</span>;
  return <span className="pill pill-active">Active</span>;
}

/** Sorting helper for the Status column: active first, then inactive, then archived. */
export function statusRank(member: Pick<MemberDto, 'isArchived' | 'isInactive'>): number {
  if (member.isArchived) return 2;
  if (member.isInactive) return 1;
  return 0;
}

export function statusLabel(member: Pick<MemberDto, 'isArchived' | 'isInactive'>): string {
  return member.isArchived ? 'Archived' : member.isInactive ? 'Inactive' : 'Active';
}

const PERMISSION_TONES: Record<string, string> = {
  view: 'view',
  explore: 'explore',
  annotate: 'annotate',
  apply: 'annotate',
  edit: 'edit',
  organize: 'organize',
  create: 'organize',
};

/** Access level badge for documents (`view`, `explore`, `edit`, … or a value Sigma adds later). */
export function PermissionBadge({ permission }: { permission: string }) {
  const tone = PERMISSION_TONES[permission.toLowerCase()] ?? 'other';
  return <span className={`access access-${tone}`}>{titleCase(permission)}</span>;
}

export function FileTypeLabel({ type }: { type: string }) {
  return <span className={`filetype filetype-${type.toLowerCase().replace(/[^a-z-]/g, '')}`}>{titleCase(type)}</span>;
}

/**
 * Two access levels side by side ("Edit → View" in the Compare tab). The arrow means nothing to a screen
 * reader, so the pair is read as one sentence instead: "You: edit. Tom Lee: view."
 */
export function AccessPair({ yours, theirs, subject }: { yours: string; theirs: string; subject: string }) {
  return (
    <span className="access-pair">
      <span className="visually-hidden">{`You: ${yours.toLowerCase()}. ${subject}: ${theirs.toLowerCase()}.`}</span>
      <span className="access-pair-visual" aria-hidden="true">
        <PermissionBadge permission={yours} />
        <span>→</span>
        <PermissionBadge permission={theirs} />
      </span>
    </span>
  );
}
