import { describe, expect, it } from 'vitest';
import type { TeamMemberDto } from '../ipc';
import { member } from '../test/fixtures';
import { visibleMembers } from './TeamsScreen';

function tm(first: string, last: string, over: Partial<Parameters<typeof member>[0]> = {}): TeamMemberDto {
  const m = member({ firstName: first, lastName: last, ...over });
  return { userId: m.memberId, isTeamAdmin: false, member: m, impersonation: m.impersonation };
}

const missing: TeamMemberDto = { userId: 'u-ghost', isTeamAdmin: false, member: null, impersonation: { allowed: false, reason: 'gone' } };

describe('team member list', () => {
  const roster = [
    tm('Zoe', 'Park', { memberType: 'Viewer' }),
    tm('Ann', 'Ray', { memberType: 'Admin', isArchived: true }),
    tm('tom', 'Lee', { memberType: 'creator', memberId: 'm-7f3a' }),
    missing,
  ];
  const names = (rows: TeamMemberDto[]) => rows.map((r) => r.member?.name ?? r.userId);

  it('sorts by name case-insensitively, either way', () => {
    expect(names(visibleMembers(roster, '', { key: 'name', desc: false }))).toEqual(['Ann Ray', 'tom Lee', 'u-ghost', 'Zoe Park']);
    expect(names(visibleMembers(roster, '', { key: 'name', desc: true }))).toEqual(['Zoe Park', 'u-ghost', 'tom Lee', 'Ann Ray']);
  });

  it('sorts by status with archived and missing records last', () => {
    expect(names(visibleMembers(roster, '', { key: 'status', desc: false }))).toEqual(['Zoe Park', 'tom Lee', 'Ann Ray', 'u-ghost']);
  });

  it('searches name, email and member ID; every word must match', () => {
    expect(names(visibleMembers(roster, 'lee', { key: 'name', desc: false }))).toEqual(['tom Lee']);
    expect(names(visibleMembers(roster, 'M-7F3A', { key: 'name', desc: false }))).toEqual(['tom Lee']);
    expect(names(visibleMembers(roster, 'zoe.park@', { key: 'name', desc: false }))).toEqual(['Zoe Park']);
    expect(names(visibleMembers(roster, 'ann lee', { key: 'name', desc: false }))).toEqual([]);
    expect(names(visibleMembers(roster, 'ghost', { key: 'name', desc: false }))).toEqual(['u-ghost']);
  });

  it('leaves the roster it was given untouched', () => {
    const copy = roster.slice();
    visibleMembers(roster, '', { key: 'email', desc: true });
    expect(roster).toEqual(copy);
  });
});
