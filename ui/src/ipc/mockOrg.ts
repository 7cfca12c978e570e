/**
 * The fake org behind the mock backend: the sandbox's "Acme Analytics" people, teams and documents, built
 * deterministically so tests can name users. Only mock.ts uses it.
 */

export interface OrgMember {
  memberId: string;
  email: string;
  firstName: string;
  lastName: string;
  memberType: string;
  userKind: 'internal' | 'guest' | 'embed';
  archived: boolean;
  inactive: boolean;
  createdAt: string;
  teams: string[];
}

export interface OrgTeam {
  teamId: string;
  name: string;
  description: string;
  visibility: 'public' | 'private';
  admins: string[];
  members: string[];
}

export type Permission = 'view' | 'explore' | 'annotate' | 'edit' | 'organize';

export interface OrgFile {
  id: string;
  name: string;
  fileType: 'workbook' | 'dataset' | 'data-model' | 'folder' | 'report';
  path: string;
  parentId: string | null;
  ownerId: string;
  /** Team grants by team id; org-wide files give every member `view`. */
  grants: Record<string, Permission>;
  orgWide: boolean;
  /** A file in its owner's My Documents: only the owner sees it (not even admins). */
  personal: boolean;
  badge: string | null;
  updatedAt: string;
}

export interface Org {
  members: OrgMember[];
  teams: OrgTeam[];
  files: OrgFile[];
}

const PEOPLE: ReadonlyArray<[string, string, string, string, Partial<Pick<OrgMember, 'archived' | 'inactive' | 'userKind'>>?]> = [
  ['Avery', 'Adams', 'admin', 'Admin'],
  ['Jordan', 'Blake', 'jordan.blake', 'Admin'],
  ['Priya', 'Raman', 'priya.raman', 'Admin'],
  ['Marcus', 'Webb', 'marcus.webb', 'Admin', { archived: true }],
  ['Tom', 'Lee', 'tom.lee', 'Creator'],
  ['Casey', 'Nguyen', 'casey.nguyen', 'Creator'],
  ['Sofia', 'Martinez', 'sofia.martinez', 'Creator'],
  ['Ethan', 'Brooks', 'ethan.brooks', 'Creator'],
  ['Hannah', 'Kim', 'hannah.kim', 'Creator'],
  ['Liam', "O'Connor", 'liam.oconnor', 'Creator'],
  ['Grace', 'Chen', 'grace.chen', 'Creator', { archived: true }],
  ['Noah', 'Patel', 'noah.patel', 'Creator'],
  ['Olivia', 'Johnson', 'olivia.johnson', 'Explorer'],
  ['Mateo', 'Rossi', 'mateo.rossi', 'Explorer'],
  ['Aisha', 'Bello', 'aisha.bello', 'Explorer'],
  ['Daniel', 'Schmidt', 'daniel.schmidt', 'Explorer'],
  ['Chloe', 'Dubois', 'chloe.dubois', 'Explorer'],
  ['Ryan', 'Murphy', 'ryan.murphy', 'Explorer', { archived: true }],
  ['Emma', 'Wilson', 'emma.wilson', 'Explorer'],
  ['Lucas', 'Silva', 'lucas.silva', 'Explorer', { inactive: true }],
  ['Zoe', 'Park', 'zoe.park', 'Explorer'],
  ['Samuel', 'Green', 'samuel.green', 'Explorer'],
  ['Victor', 'Nilsson', 'victor.nilsson', 'Explorer'],
  ['Mia', 'Thompson', 'mia.thompson', 'Viewer'],
  ['Benjamin', 'Clark', 'benjamin.clark', 'Viewer'],
  ['Isabella', 'Lopez', 'isabella.lopez', 'Viewer'],
  ['Henry', 'Walker', 'henry.walker', 'Viewer'],
  ['Amelia', 'Scott', 'amelia.scott', 'Viewer'],
  ['Jack', 'Turner', 'jack.turner', 'Viewer'],
  ['Ella', 'Harris', 'ella.harris', 'Viewer'],
  ['Yuki', 'Sato', 'yuki.sato', 'Viewer'],
  ['Nina', 'Volkova', 'nina.volkova', 'Analyst'],
  ['Omar', 'Haddad', 'omar.haddad', 'Analyst'],
  ['Kenji', 'Tanaka', 'kenji.tanaka', 'Analyst'],
  ['Fatima', 'Noor', 'fatima.noor', 'Analyst'],
  ['Diego', 'Fernandez', 'diego.fernandez', 'Analyst'],
  ['Paul', 'Novak', 'paul.novak@northwind-partners.example', 'Viewer', { userKind: 'guest' }],
  ['Rita', 'Alvarez', 'rita.alvarez@contoso-consulting.example', 'Explorer', { userKind: 'guest' }],
  ['Portal', 'Customer 101', 'embed-customer-101', 'Viewer', { userKind: 'embed' }],
  ['Portal', 'Customer 102', 'embed-customer-102', 'Viewer', { userKind: 'embed' }],
];

const TEAMS: ReadonlyArray<[string, string, 'public' | 'private', string[], string[]]> = [
  ['Sales', 'Account executives and sales leadership', 'public', ['tom.lee'], ['tom.lee', 'sofia.martinez', 'olivia.johnson', 'mateo.rossi', 'mia.thompson', 'benjamin.clark', 'grace.chen', 'nina.volkova']],
  ['Marketing', 'Campaigns, web and brand analytics', 'public', ['hannah.kim'], ['hannah.kim', 'aisha.bello', 'chloe.dubois', 'isabella.lopez', 'omar.haddad']],
  ['Finance', 'FP&A, accounting and revenue', 'private', ['ethan.brooks'], ['jordan.blake', 'ethan.brooks', 'daniel.schmidt', 'henry.walker', 'kenji.tanaka', 'lucas.silva']],
  ['Data Engineering', 'Warehouse, pipelines and data models', 'private', ['casey.nguyen'], ['casey.nguyen', 'noah.patel', 'liam.oconnor', 'priya.raman']],
  ['Customer Success', 'Onboarding, renewals and support', 'public', ['emma.wilson'], ['emma.wilson', 'zoe.park', 'samuel.green', 'amelia.scott', 'jack.turner', 'ryan.murphy']],
  ['Executive', 'Leadership team', 'private', ['admin'], ['admin', 'jordan.blake', 'tom.lee', 'hannah.kim']],
  ['Operations', 'Supply chain and logistics', 'public', [], ['victor.nilsson', 'ella.harris', 'yuki.sato', 'fatima.noor', 'diego.fernandez']],
  ['Partners', 'External partners and consultants', 'private', [], ['paul.novak@northwind-partners.example', 'rita.alvarez@contoso-consulting.example']],
];

const SPACES: ReadonlyArray<[string, string, Record<string, Permission>, string[]]> = [
  ['Sales', 'tom.lee', { Sales: 'organize', Executive: 'view' }, ['Pipeline Overview', 'Open Opportunities', 'Quarterly Forecast', 'Deal Velocity', 'Sales Leaderboard', 'Quota Attainment', 'EMEA Bookings']],
  ['Marketing', 'hannah.kim', { Marketing: 'edit' }, ['Campaign Performance', 'Lead Source Mix', 'Web Sessions', 'Conversion Funnel', 'Marketing Scorecard']],
  ['Finance', 'ethan.brooks', { Finance: 'explore', Executive: 'view' }, ['Close Checklist', 'GL Balances', 'FY Budget', 'Budget vs Actuals', 'ARR Bridge', 'Deferred Revenue', 'Cash Position']],
  ['Data Engineering', 'casey.nguyen', { 'Data Engineering': 'edit', Sales: 'explore' }, ['Orders Model', 'Customer 360', 'Pipeline Health', 'Warehouse Costs', 'dbt Run Log']],
  ['Customer Success', 'emma.wilson', { 'Customer Success': 'annotate' }, ['Renewal Risk', 'Support Tickets', 'NPS Trends', 'Onboarding Funnel']],
  ['Company', 'admin', {}, ['Company KPIs', 'Holiday Calendar', 'Board Deck Metrics']],
];

const TYPES: ReadonlyArray<OrgFile['fileType']> = ['workbook', 'dataset', 'workbook', 'data-model', 'report', 'workbook'];

function email(local: string): string {
  return local.includes('@') ? local : `${local}@acme.example`;
}

/** A stable, UUID-looking id so the UI never depends on ids being readable. */
function id(prefix: string, n: number): string {
  const hex = (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${prefix}${hex}-${String(n).padStart(4, '0')}-4a1b-8c2d-${hex}${hex.slice(0, 4)}`;
}

const FIRST = ['Alex', 'Sam', 'Robin', 'Jamie', 'Taylor', 'Morgan', 'Riley', 'Quinn', 'Avery', 'Charlie', 'Drew', 'Emerson'];
const LAST = ['Anderson', 'Baker', 'Carter', 'Diaz', 'Evans', 'Foster', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lindqvist'];
const EXTRA_TYPES = ['Viewer', 'Explorer', 'Creator', 'Viewer', 'Analyst'];

export function buildOrg(extraMembers = 0, bigTeam = false): Org {
  const members: OrgMember[] = PEOPLE.map(([first, last, local, type, flags], i) => ({
    memberId: id('m', i + 1),
    email: email(local),
    firstName: first,
    lastName: last,
    memberType: type,
    userKind: flags?.userKind ?? 'internal',
    archived: flags?.archived ?? false,
    inactive: flags?.inactive ?? false,
    createdAt: new Date(Date.UTC(2022, i % 12, 1 + (i % 27), 9, 30)).toISOString(),
    teams: [],
  }));
  // A generator for big orgs, so the virtualized table can be tried with 100k rows.
  for (let i = 0; i < extraMembers; i++) {
    const first = FIRST[i % FIRST.length] ?? 'User';
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'Member';
    members.push({
      memberId: id('x', i + 1),
      email: `${first}.${last}.${i + 1}@bigcorp.example`.toLowerCase(),
      firstName: first,
      lastName: `${last} ${i + 1}`,
      memberType: EXTRA_TYPES[i % EXTRA_TYPES.length] ?? 'Viewer',
      userKind: 'internal',
      archived: i % 97 === 0,
      inactive: i % 89 === 0,
      createdAt: new Date(Date.UTC(2023, i % 12, 1 + (i % 27))).toISOString(),
      teams: [],
    });
  }

  const byEmail = new Map(members.map((m) => [m.email, m]));
  const teams: OrgTeam[] = TEAMS.map(([name, description, visibility, admins, locals], i) => {
    const teamId = id('t', i + 1);
    const memberIds = locals.map((l) => byEmail.get(email(l))?.memberId).filter((x): x is string => !!x);
    for (const mid of memberIds) members.find((m) => m.memberId === mid)?.teams.push(teamId);
    return {
      teamId,
      name,
      description,
      visibility,
      admins: admins.map((l) => byEmail.get(email(l))?.memberId).filter((x): x is string => !!x),
      members: memberIds,
    };
  });
  if (bigTeam && extraMembers > 0) {
    // One team holding every generated member, so a big team's roster (search, sort, virtualization) can be tried.
    const teamId = id('t', teams.length + 1);
    const generated = members.filter((m) => m.memberId.startsWith('x'));
    for (const m of generated) m.teams.push(teamId);
    teams.push({
      teamId,
      name: 'Everyone at Bigcorp',
      description: 'Every generated member',
      visibility: 'public',
      admins: generated.slice(0, 1).map((m) => m.memberId),
      members: generated.map((m) => m.memberId),
    });
  }
  const teamIdByName = new Map(teams.map((t) => [t.name, t.teamId]));

  const files: OrgFile[] = [];
  let n = 0;
  for (const [space, owner, grants, docs] of SPACES) {
    const ownerId = byEmail.get(email(owner))?.memberId ?? members[0]!.memberId;
    const teamGrants: Record<string, Permission> = {};
    for (const [teamName, perm] of Object.entries(grants)) {
      const tid = teamIdByName.get(teamName);
      if (tid) teamGrants[tid] = perm;
    }
    const folderId = id('f', ++n);
    const orgWide = space === 'Company';
    files.push({
      id: folderId,
      name: space,
      fileType: 'folder',
      path: `Workspaces/${space}`,
      parentId: null,
      ownerId,
      grants: teamGrants,
      orgWide,
      personal: false,
      badge: null,
      updatedAt: new Date(Date.UTC(2025, 0, 10 + n)).toISOString(),
    });
    docs.forEach((doc, j) => {
      files.push({
        id: id('f', ++n),
        name: doc,
        fileType: TYPES[(j + n) % TYPES.length] ?? 'workbook',
        path: `Workspaces/${space}/${doc}`,
        parentId: folderId,
        ownerId,
        grants: teamGrants,
        orgWide,
        personal: false,
        badge: j === 0 ? 'Endorsed' : null,
        updatedAt: new Date(Date.UTC(2025, 1 + (j % 9), 1 + ((n * 7) % 27))).toISOString(),
      });
    });
  }
  // Personal drafts: only their owner sees them — what "only the user" looks like in Compare.
  for (const [local, names] of [
    ['tom.lee', ['Tom — Q3 pipeline scratch', 'Territory ideas']],
    ['admin', ['Admin audit notes']],
    ['olivia.johnson', ['My saved filters']],
  ] as const) {
    const owner = byEmail.get(email(local));
    if (!owner) continue;
    for (const name of names) {
      files.push({
        id: id('f', ++n),
        name,
        fileType: 'workbook',
        path: `My Documents/${name}`,
        parentId: null,
        ownerId: owner.memberId,
        grants: {},
        orgWide: false,
        personal: true,
        badge: null,
        updatedAt: new Date(Date.UTC(2025, 8, 1 + n % 27)).toISOString(),
      });
    }
  }
  return { members, teams, files };
}

const RANK: Record<Permission, number> = { view: 1, explore: 2, annotate: 3, edit: 4, organize: 5 };

/**
 * What a member may do with a file, or null when they cannot see it: owners and Admins organize, team grants
 * apply to team members, org-wide files are viewable by everyone. Personal files are for their owner only.
 */
export function permissionFor(member: OrgMember, file: OrgFile): Permission | null {
  if (file.ownerId === member.memberId) return 'organize';
  if (file.personal) return null;
  if (member.memberType.toLowerCase() === 'admin') return 'organize';
  let best: Permission | null = file.orgWide ? 'view' : null;
  for (const teamId of member.teams) {
    const p = file.grants[teamId];
    if (p && (!best || RANK[p] > RANK[best])) best = p;
  }
  // Viewers can only ever view, whatever the grant says (Sigma caps access by account type).
  if (best && member.memberType.toLowerCase() === 'viewer') return 'view';
  if (best && member.memberType.toLowerCase() === 'explorer' && RANK[best] > RANK.explore) return 'explore';
  return best;
}
