import type { MemberDto, SessionDto } from '../ipc';

export function member(overrides: Partial<MemberDto> = {}): MemberDto {
  const first = overrides.firstName ?? 'Tom';
  const last = overrides.lastName ?? 'Lee';
  return {
    memberId: `m-${first.toLowerCase()}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@acme.example`,
    firstName: first,
    lastName: last,
    name: `${first} ${last}`,
    memberType: 'Creator',
    userKind: 'internal',
    isArchived: false,
    isInactive: false,
    homeFolderId: null,
    createdAt: null,
    updatedAt: null,
    impersonation: { allowed: true, reason: null },
    extra: {},
    ...overrides,
  };
}

export function session(overrides: Partial<SessionDto> = {}): SessionDto {
  return {
    id: 'sess_1',
    connection: 'Sandbox org',
    actorEmail: 'admin@acme.example',
    subjectEmail: 'tom.lee@acme.example',
    subjectName: 'Tom Lee',
    subjectId: 'm-tom',
    subjectAccountType: 'Creator',
    tenant: null,
    reason: 'SUP-1',
    readOnly: true,
    startedAt: '2025-10-14T14:00:00Z',
    expiresAt: '2025-10-14T14:15:00Z',
    secondsLeft: 900,
    ...overrides,
  };
}
