/**
 * "Why can't they see it?" in words: the sentences the WhyPanel shows for an explanation (and the review
 * matrix reuses), built from the DTO alone so they can be tested without a screen.
 */
import type { AccessPathDto, ExplanationDto, InodeRefDto, SuggestionDto } from '../ipc';

/** "folder Finance", "workspace Sales"; a folder the admin cannot read is named by its ID. */
export function inodeLabel(inode: InodeRefDto, documentId?: string): string {
  if (documentId !== undefined && inode.id === documentId) return 'this document';
  const type = inode.inodeType || 'item';
  return inode.name ? `${type} ${inode.name}` : `${type} ${inode.id} (not visible to you)`;
}

/** One route to access, as a sentence about the member ("team Sales has view on folder Finance (inherited)"). */
export function pathText(p: AccessPathDto): string {
  const team = p.viaTeam ? `team ${p.viaTeam.name}` : 'their team';
  const on = p.onInode ? inodeLabel(p.onInode) : 'a folder above it';
  switch (p.kind) {
    case 'owner':
      return `they own it (${p.permission})`;
    case 'userGrant':
      return `it is shared with them: ${p.permission}`;
    case 'teamGrant':
      return `${team} has ${p.permission} on it`;
    case 'inheritedOwner':
      return `they own ${on} above it (${p.permission}, inherited)`;
    case 'inheritedUserGrant':
      return `they have ${p.permission} on ${on} (inherited)`;
    case 'inheritedTeamGrant':
      return `${team} has ${p.permission} on ${on} (inherited)`;
    default:
      // A kind added later on the Rust side: still say what we know.
      return `${p.permission} through ${String(p.kind)}`;
  }
}

/** One way in, as advice to the admin. */
export function suggestionText(s: SuggestionDto, documentId: string): string {
  const on = inodeLabel(s.onInode, documentId);
  const team = s.team ? `team ${s.team.name}` : 'a team';
  switch (s.kind) {
    case 'joinTeam':
      return `Add them to ${team}: it has ${s.permission} on ${on}`;
    case 'grantOnFolder':
      return s.grantees.length > 0
        ? `Share ${on} with them (${s.permission}), as it is shared with ${s.grantees.join(', ')}`
        : `Share ${on} with them (${s.permission})`;
    case 'grantOnDocument':
      return `Share it with them directly: nothing above it is shared`;
    case 'archivedTeam':
      return `Their ${team} has ${s.permission} on ${on}, but the team is archived, and archived teams give no access`;
    default:
      return `${String(s.kind)}: ${s.permission} on ${on}`;
  }
}

/** "Tom Lee can view “Q3 Revenue” (workbook)" or "Tom Lee cannot see “Q3 Revenue” (workbook)". */
export function headline(e: ExplanationDto): string {
  const doc = `“${e.document.name}” (${e.document.docType})`;
  return e.access ? `${e.member.name} can ${e.access} ${doc}` : `${e.member.name} cannot see ${doc}`;
}

/** The heading over the suggestions: what they would give. */
export function suggestionsHeading(e: ExplanationDto): string {
  return e.access
    ? `These would give more (you have ${e.document.adminPermission}):`
    : 'No access — these would give it:';
}
