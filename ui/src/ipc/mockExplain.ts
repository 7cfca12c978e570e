/**
 * `explain_access` for the mock backend, derived from the mock org's own access rule (`permissionFor`), so what
 * the WhyPanel says always agrees with what Compare shows: owners, team grants on a workspace (inherited by its
 * documents), the org-wide Company space, and the account-type caps the mock applies. Only mock.ts uses it.
 */
import type { AccessPathDto, ErrorDto, ExplanationDto, InodeRefDto, SuggestionDto } from './bindings';
import { permissionFor, type Org, type OrgFile, type OrgMember } from './mockOrg';

const RANK: Record<string, number> = { view: 1, explore: 2, annotate: 3, edit: 4, organize: 5 };
const rank = (p: string | null): number => (p ? (RANK[p] ?? 0) : 0);

function cap(member: OrgMember, p: string): string {
  const type = member.memberType.toLowerCase();
  if (type === 'viewer') return 'view';
  if (type === 'explorer' && rank(p) > RANK.explore!) return 'explore';
  return p;
}

function inode(f: OrgFile): InodeRefDto {
  return { id: f.id, name: f.name, inodeType: f.fileType };
}

export function explainFor(
  org: Org,
  member: OrgMember,
  file: OrgFile,
  admin: OrgMember,
  notFound: (message: string) => ErrorDto,
): ExplanationDto {
  const adminPermission = permissionFor(admin, file);
  // As in Sigma: the admin's own token cannot read a document it cannot see.
  if (!adminPermission) throw notFound(`File ${file.id} not found`);
  const parent = file.parentId ? org.files.find((f) => f.id === file.parentId) ?? null : null;
  const teamName = (id: string) => org.teams.find((t) => t.teamId === id)?.name ?? id;
  const paths: AccessPathDto[] = [];
  const access = permissionFor(member, file);
  if (file.ownerId === member.memberId) {
    paths.push({ kind: 'owner', permission: 'organize', viaTeam: null, onInode: null, grantId: null });
  }
  if (!file.personal) {
    if (file.orgWide) {
      paths.push({
        kind: parent ? 'inheritedTeamGrant' : 'teamGrant',
        permission: cap(member, 'view'),
        viaTeam: { id: 'everyone', name: 'Everyone' },
        onInode: parent ? inode(parent) : null,
        grantId: `grant-${file.parentId ?? file.id}-everyone`,
      });
    }
    for (const teamId of member.teams) {
      const p = file.grants[teamId];
      if (!p) continue;
      paths.push({
        kind: parent ? 'inheritedTeamGrant' : 'teamGrant',
        permission: cap(member, p),
        viaTeam: { id: teamId, name: teamName(teamId) },
        onInode: parent ? inode(parent) : null,
        grantId: `grant-${file.parentId ?? file.id}-${teamId}`,
      });
    }
  }
  paths.sort((a, b) => rank(b.permission) - rank(a.permission));

  const wouldGrant: SuggestionDto[] = [];
  if (!access || rank(access) < rank(adminPermission)) {
    const better = (p: string) => rank(p) > rank(access);
    const grants = Object.entries(file.personal ? {} : file.grants).filter(([, p]) => better(p));
    for (const [teamId, p] of grants.sort(([, a], [, b]) => rank(b) - rank(a))) {
      if (member.teams.includes(teamId)) continue;
      wouldGrant.push({ kind: 'joinTeam', permission: p, team: { id: teamId, name: teamName(teamId) }, onInode: inode(parent ?? file), grantees: [] });
    }
    if (parent && grants.length > 0) {
      const strongest = grants.reduce((best, [, p]) => (rank(p) > rank(best) ? p : best), grants[0]![1]);
      wouldGrant.push({
        kind: 'grantOnFolder',
        permission: strongest,
        team: null,
        onInode: inode(parent),
        grantees: grants.map(([t, p]) => `team ${teamName(t)} (${p})`),
      });
    } else if (!access) {
      wouldGrant.push({ kind: 'grantOnDocument', permission: 'view', team: null, onInode: inode(file), grantees: [] });
    }
  }
  return {
    member: { id: member.memberId, email: member.email, name: `${member.firstName} ${member.lastName}`.trim() || member.email },
    document: { id: file.id, name: file.name, docType: file.fileType, path: file.path, adminPermission },
    access,
    paths,
    wouldGrant,
    ancestorsComplete: true,
  };
}
