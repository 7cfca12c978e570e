import { describe, expect, it } from 'vitest';
import { formatCountdown, formatRelative, plural, prettyJson, secondsUntil, titleCase } from './format';
import { actorBlock, impersonationBlock, sentence } from './eligibility';
import { sessionDeadline } from './sessionTime';
import { session } from '../test/fixtures';

describe('time formatting', () => {
  it('formats countdowns as mm:ss', () => {
    expect(formatCountdown(900)).toBe('15:00');
    expect(formatCountdown(899)).toBe('14:59');
    expect(formatCountdown(61)).toBe('01:01');
    expect(formatCountdown(5)).toBe('00:05');
    expect(formatCountdown(3600)).toBe('60:00');
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-3)).toBe('00:00');
    expect(formatCountdown(12.7)).toBe('00:12');
  });

  it('rounds the seconds left up so the last second still shows 00:01', () => {
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 12_000)).toBe(0);
    expect(secondsUntil(70_000, 10_000)).toBe(60);
  });

  it('describes relative times', () => {
    expect(formatRelative(130_000, 10_000)).toBe('in 2 min');
    expect(formatRelative(0, 7_200_000)).toBe('2 h ago');
    expect(formatRelative(10_000, 0)).toBe('in 10 s');
  });

  it('follows expiresAt, unless it disagrees with secondsLeft (a skewed clock)', () => {
    const received = Date.parse('2025-10-14T14:00:00Z');
    expect(sessionDeadline(session(), received)).toBe(Date.parse('2025-10-14T14:15:00Z'));
    const skewed = session({ expiresAt: '2020-01-01T00:00:00Z', secondsLeft: 300 });
    expect(sessionDeadline(skewed, received)).toBe(received + 300_000);
    expect(sessionDeadline(session({ expiresAt: 'soon' }), received)).toBe(received + 900_000);
  });
});

describe('text helpers', () => {
  it('pluralizes with thousands separators', () => {
    expect(plural(1, 'user')).toBe('1 user');
    expect(plural(40, 'user')).toBe('40 users');
    expect(plural(100036, 'user')).toBe('100,036 users');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });

  it('title-cases account types', () => {
    expect(titleCase('admin')).toBe('Admin');
    expect(titleCase('data-model')).toBe('Data Model');
    expect(titleCase('Analyst')).toBe('Analyst');
  });

  it('turns Rust clauses into sentences without touching emails', () => {
    expect(sentence('a reason is required')).toBe('A reason is required.');
    expect(sentence('grace.chen@acme.example is archived')).toBe('grace.chen@acme.example is archived.');
    expect(sentence('Done!')).toBe('Done!');
    expect(sentence("'x' is not valid")).toBe("'x' is not valid.");
  });

  it('pretty-prints JSON and survives cycles', () => {
    expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(prettyJson(cyclic)).toBe('[object Object]');
  });
});

describe('impersonation eligibility', () => {
  const admin = { userId: 'u', organizationId: 'o', email: 'a@x', name: 'Avery Adams', accountType: 'Admin', canImpersonate: true };
  const creator = { ...admin, name: 'Casey Nguyen', accountType: 'Creator', canImpersonate: false };

  it('allows when both the member and the actor allow', () => {
    expect(impersonationBlock({ allowed: true, reason: null }, admin)).toBeNull();
    expect(actorBlock(admin)).toBeNull();
  });

  it('gives the member reason as a sentence', () => {
    expect(impersonationBlock({ allowed: false, reason: 'priya@x is an Admin, and admins cannot impersonate other admins' }, admin)).toBe(
      'priya@x is an Admin, and admins cannot impersonate other admins.',
    );
  });

  it('puts the actor reason first when the credentials are not Admin', () => {
    expect(impersonationBlock({ allowed: true, reason: null }, creator)).toMatch(/Casey Nguyen \(Creator\)\. Only Admins can impersonate\./);
  });
});
