import { describe, expect, it } from 'vitest';
import { parseBody } from './ConsoleTab';

describe('console request bodies', () => {
  it('treat an empty body as none and reject broken JSON before sending', () => {
    expect(parseBody('  ')).toEqual({ ok: true, value: null });
    expect(parseBody('{"name":"x"}')).toEqual({ ok: true, value: { name: 'x' } });
    expect(parseBody('{name:')).toMatchObject({ ok: false });
  });
});
