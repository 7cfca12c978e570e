import { describe, expect, it } from 'vitest';
import { explainFor } from './mockExplain';
import { buildOrg, permissionFor } from './mockOrg';

const notFound = (message: string) => ({ code: 'not_found', message, requestId: 'req_x', rule: null });

describe('the mock backend explains access as its own Compare sees it', () => {
  const org = buildOrg();
  const admin = org.members.find((m) => m.email === 'admin@acme.example')!;

  it('agrees with permissionFor for every member and every document the admin can read', () => {
    let checked = 0;
    for (const m of org.members) {
      for (const f of org.files) {
        if (!permissionFor(admin, f)) {
          expect(() => explainFor(org, m, f, admin, notFound)).toThrow();
          continue;
        }
        const e = explainFor(org, m, f, admin, notFound);
        expect(e.access).toBe(permissionFor(m, f));
        // No access means no routes, and something to try (unless the admin could not give more).
        if (e.access === null) {
          expect(e.paths).toEqual([]);
          expect(e.wouldGrant.length).toBeGreaterThan(0);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('names the team and the workspace a grant comes through', () => {
    const tom = org.members.find((m) => m.email === 'tom.lee@acme.example')!;
    const hannah = org.members.find((m) => m.email === 'hannah.kim@acme.example')!;
    const gl = org.files.find((f) => f.name === 'GL Balances')!;
    const e = explainFor(org, tom, gl, admin, notFound);
    expect(e.access).toBe('view');
    expect(e.paths[0]).toMatchObject({ kind: 'inheritedTeamGrant', viaTeam: { name: 'Executive' }, onInode: { name: 'Finance' } });
    const campaign = org.files.find((f) => f.name === 'Campaign Performance')!;
    const own = explainFor(org, hannah, campaign, admin, notFound);
    expect(own.paths[0]?.kind).toBe('owner');
    const none = explainFor(org, tom, campaign, admin, notFound);
    expect(none.access).toBeNull();
    expect(none.wouldGrant.map((s) => s.kind)).toEqual(['joinTeam', 'grantOnFolder']);
  });
});
