import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText, exportAudit, getUser, listUsers, onSessionStopped, sessionFiles, startImpersonation, toErrorDto } from './index';

afterEach(() => clearMocks());

describe('IPC layer', () => {
  it('calls each command with the argument names of CONTRACT.md', async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'list_users' ? [] : null;
    });
    await listUsers({ search: null, includeArchived: true });
    await getUser('m-1');
    await sessionFiles(null);
    await exportAudit('csv');
    await exportAudit('json', { text: 'tom', event: 'impersonation.start' });
    await copyText('req_1');
    expect(calls).toEqual([
      ['list_users', { query: { search: null, includeArchived: true } }],
      ['get_user', { memberId: 'm-1' }],
      ['session_files', { fileType: null }],
      ['export_audit', { format: 'csv', filter: null }],
      ['export_audit', { format: 'json', filter: { text: 'tom', event: 'impersonation.start' } }],
      ['plugin:clipboard-manager|write_text', { text: 'req_1' }],
    ]);
  });

  it('rejects with an ErrorDto whatever Rust (or Tauri) threw', async () => {
    mockIPC((cmd) => {
      if (cmd === 'start_impersonation') throw { code: 'refused', message: 'nope', requestId: null, rule: 'target_is_admin' };
      throw 'command get_user not found';
    });
    await expect(startImpersonation({ email: 'a@b.c', tenant: null, reason: 'x', readOnly: true, durationMinutes: 5, replaceActive: false })).rejects.toEqual({
      code: 'refused',
      message: 'nope',
      requestId: null,
      rule: 'target_is_admin',
    });
    await expect(getUser('x')).rejects.toEqual({ code: 'internal', message: 'command get_user not found', requestId: null, rule: null });
  });

  it('normalizes odd rejections', () => {
    expect(toErrorDto(new Error('boom'))).toEqual({ code: 'internal', message: 'boom', requestId: null, rule: null });
    expect(toErrorDto({ code: 'x', message: 'y' })).toEqual({ code: 'x', message: 'y', requestId: null, rule: null });
    expect(toErrorDto(42).code).toBe('internal');
  });

  it('delivers session-stopped events and stops listening on unlisten', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const cb = vi.fn();
    const off = onSessionStopped(cb);
    await vi.waitFor(async () => {
      await emit('session-stopped', { subjectEmail: 'tom@x', subjectId: 'm', reason: 'expired' });
      expect(cb).toHaveBeenCalledWith({ subjectEmail: 'tom@x', subjectId: 'm', reason: 'expired' });
    });
    off();
    cb.mockClear();
    await emit('session-stopped', { subjectEmail: 'tom@x', subjectId: 'm', reason: 'stopped' });
    expect(cb).not.toHaveBeenCalled();
  });
});
