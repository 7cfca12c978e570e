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

  it('orders every column either way exactly as the collator sort did (accents, case, ties in roster order)', () => {
    const firsts = ['Émile', 'emile', 'Zoë', 'zoe', 'Ann', 'ann', 'Øyvind', 'O’Brien', 'obrien', 'Łukasz'];
    const lasts = ['Ångström', 'angstrom', 'Lee', 'lee', 'Park'];
    const types = ['Viewer', 'viewer', 'Créator', 'Admin'];
    const big: TeamMemberDto[] = [];
    for (let i = 0; i < 300; i++) {
      big.push(tm(firsts[i % firsts.length]!, lasts[(i * 7) % lasts.length]!, { memberType: types[(i * 3) % types.length]!, isArchived: i % 11 === 0, memberId: `m-${i}`, email: `${['a', 'A', 'é', 'E', 'z'][i % 5]}${i % 13}@x.io` }));
    }
    big.push(missing);
    const byBase = new Intl.Collator(undefined, { sensitivity: 'base' });
    const byDefault = new Intl.Collator();
    const keyOf = {
      name: (m: TeamMemberDto) => m.member?.name ?? m.userId,
      email: (m: TeamMemberDto) => m.member?.email ?? '',
      type: (m: TeamMemberDto) => m.member?.memberType ?? '',
    };
    for (const key of ['name', 'email', 'type'] as const) {
      const collator = key === 'email' ? byDefault : byBase;
      for (const desc of [false, true]) {
        const expected = big.slice().sort((a, b) => (desc ? -1 : 1) * collator.compare(keyOf[key](a), keyOf[key](b)));
        expect(visibleMembers(big, '', { key, desc }).map((m) => m.userId)).toEqual(expected.map((m) => m.userId));
      }
    }
  });

  it('leaves the roster it was given untouched', () => {
    const copy = roster.slice();
    visibleMembers(roster, '', { key: 'email', desc: true });
    expect(roster).toEqual(copy);
  });
});
