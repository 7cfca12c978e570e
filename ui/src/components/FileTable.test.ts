import { describe, expect, it } from 'vitest';
import { badgeClass } from './FileTable';

describe('document badges', () => {
  it('colour Sigma badges by meaning and leave new ones neutral', () => {
    expect(badgeClass('Endorsed')).toBe('tag-accent');
    expect(badgeClass('Warning')).toBe('tag-warning');
    expect(badgeClass('deprecated')).toBe('tag-danger');
    expect(badgeClass('Certified by Finance')).toBe('');
  });
});
