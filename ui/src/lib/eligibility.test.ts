import { describe, expect, it } from 'vitest';
import type { ActorDto, ErrorDto } from '../ipc';
import { impersonationBlock, unverifiedBlock } from './eligibility';

const admin: ActorDto = { userId: 'a', organizationId: 'o', email: 'admin@x.co', name: 'Ada', accountType: 'Admin', canImpersonate: true };
const refused: ErrorDto = { code: 'unauthorized', message: 'Sigma did not accept the credentials or token (401)', requestId: 'r1', rule: null };

describe('unverified credentials', () => {
  it('block impersonation with the reason written out', () => {
    const reason = unverifiedBlock(null, refused);
    expect(reason).toMatch(/^Stand-in could not verify your connection's credentials/);
    expect(reason).toContain('Sigma did not accept the credentials or token (401).');
    expect(impersonationBlock({ allowed: true, reason: null }, null, refused)).toBe(reason);
  });

  it('do not block once the actor is known, or when there is no error', () => {
    expect(unverifiedBlock(admin, refused)).toBeNull();
    expect(unverifiedBlock(null, null)).toBeNull();
    expect(impersonationBlock({ allowed: true, reason: null }, admin, null)).toBeNull();
    expect(impersonationBlock({ allowed: true, reason: null }, null)).toBeNull();
  });
});
