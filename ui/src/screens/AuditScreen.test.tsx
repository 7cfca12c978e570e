import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TestQueries } from '../lib/queries';
import { AuditScreen, entryLabel, matchesAudit, verificationNotice } from './AuditScreen';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import type { AuditEntryDto, AuditVerificationDto } from '../ipc';

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

function entry(over: Partial<AuditEntryDto>): AuditEntryDto {
  return {
    time: '2026-01-01T10:00:00Z',
    event: 'impersonation.request',
    profile: 'Sandbox org',
    actor: 'admin@acme.example',
    subject: 'tom.lee@acme.example',
    tenant: null,
    reason: null,
    sessionId: 's1',
    readOnly: true,
    method: 'GET',
    path: '/v2/whoami',
    status: null,
    detail: null,
    requestId: null,
    phase: null,
    reviewId: null,
    ...over,
  };
}

const intact: AuditVerificationDto = {
  status: 'intact',
  intact: true,
  records: 2,
  legacyRecords: 0,
  problemLine: null,
  problemKind: null,
  summary: 'intact, 2 records',
  interruptedLines: [],
};

const edited: AuditVerificationDto = {
  ...intact,
  status: 'broken',
  intact: false,
  records: 1,
  problemLine: 2,
  problemKind: 'edited',
  summary: 'NOT intact: line 2: edited: the record does not match its MAC',
};

describe('entryLabel', () => {
  it('tells the two records of a request apart, and reads old entries as before', () => {
    expect(entryLabel(entry({ phase: 'sent' }))).toBe('Request sent');
    expect(entryLabel(entry({ phase: 'outcome', status: 200 }))).toBe('Request result');
    expect(entryLabel(entry({ phase: null, status: 200 }))).toBe('Request');
    expect(entryLabel(entry({ event: 'impersonation.start', method: null, path: null }))).toBe('Started');
  });
});

describe('verificationNotice', () => {
  it('is calm when intact, a warning for old logs, and names the line otherwise', () => {
    expect(verificationNotice(intact)).toEqual({ tone: 'success', title: 'Audit log intact', text: 'intact, 2 records' });
    const legacy = { ...intact, status: 'legacy', intact: false, records: 0, legacyRecords: 3, summary: '3 legacy records without a chain' };
    expect(verificationNotice(legacy).tone).toBe('warning');
    expect(verificationNotice(edited)).toEqual({
      tone: 'danger',
      title: 'Audit log altered at line 2',
      text: 'NOT intact: line 2: edited: the record does not match its MAC',
    });
  });
});

describe('AuditScreen', () => {
  function backend(answer: () => AuditVerificationDto) {
    const calls: string[] = [];
    installFakeBackend((command) => {
      calls.push(command);
      if (command === 'audit_entries') return [entry({ phase: 'sent' }), entry({ phase: 'outcome', status: 200 })];
      if (command === 'verify_audit') return answer();
      throw { code: 'internal', message: `unexpected ${command}`, requestId: null, rule: null };
    });
    return calls;
  }

  it('Verify shows "intact, N records"', async () => {
    const calls = backend(() => intact);
    render(<AuditScreen />, { wrapper: TestQueries });
    expect(await screen.findByText('Request sent')).toBeTruthy();
    expect(screen.getByText('Request result')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    const notice = await screen.findByTestId('audit-verification');
    expect(notice.textContent).toBe('Audit log intact. intact, 2 records');
    expect(notice.getAttribute('role')).toBe('status');
    expect(calls).toContain('verify_audit');
  });

  it('Verify names the first altered line as an alert', async () => {
    backend(() => edited);
    render(<AuditScreen />, { wrapper: TestQueries });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    const notice = await screen.findByRole('alert');
    expect(notice.textContent).toContain('Audit log altered at line 2');
    expect(notice.textContent).toContain('edited');
  });

  it('Verify says when it could not run (no keyring)', async () => {
    backend(() => {
      throw { code: 'keyring_unavailable', message: 'the OS keyring is not available (no bus)', requestId: null, rule: null };
    });
    render(<AuditScreen />, { wrapper: TestQueries });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('Could not verify the audit log')).toBeTruthy();
    expect(screen.queryByTestId('audit-verification')).toBeNull();
  });
});

describe('access review records', () => {
  const review = 'a3f9c2d1-7b4e-4c1a-9d2f-0e5b6c7d8e9f';
  const rows = [
    entry({ subject: 'tom.lee@acme.example', reviewId: review }),
    entry({ event: 'impersonation.stop', subject: 'tom.lee@acme.example', reviewId: review }),
    entry({ subject: 'sofia.martinez@acme.example', sessionId: 's9' }),
  ];

  it('the text filter matches the review ID', () => {
    expect(rows.filter((e) => matchesAudit(e, 'A3F9C2D1', 'all'))).toHaveLength(2);
  });

  it('a record shows its review as a chip that filters the log to that review', async () => {
    installFakeBackend((command) => {
      if (command === 'audit_entries') return rows;
      throw { code: 'internal', message: `unexpected ${command}`, requestId: null, rule: null };
    });
    render(<AuditScreen />, { wrapper: TestQueries });
    const chips = await screen.findAllByRole('button', { name: `Show access review ${review}` });
    expect(chips).toHaveLength(2);
    expect(chips[0]!.textContent).toContain('Review a3f9c2d1');
    expect(screen.getByText('3 entries')).toBeTruthy();
    fireEvent.click(chips[0]!);
    expect((screen.getByRole('searchbox', { name: 'Filter audit log' }) as HTMLInputElement).value).toBe(review);
    expect(await screen.findByText('2 of 3 entries')).toBeTruthy();
  });
});
