import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Banner } from './Banner';
import { session } from '../test/fixtures';

describe('Banner', () => {
  it('says who is impersonated, shows Read-only and counts down every second', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-10-14T14:00:00Z'));
    const onStop = vi.fn();
    render(<Banner session={session()} deadlineMs={Date.parse('2025-10-14T14:15:00Z')} expiringSoon={false} stopping={false} onStop={onStop} />);

    const region = screen.getByRole('region', { name: 'Impersonation session' });
    expect(region.textContent).toContain('You are impersonating Tom Lee (tom.lee@acme.example)');
    expect(screen.getByText('Read-only')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Tom Lee');
    expect(region.querySelector('time')?.textContent).toBe('15:00');

    act(() => vi.advanceTimersByTime(1000));
    expect(region.querySelector('time')?.textContent).toBe('14:59');
    act(() => vi.advanceTimersByTime(14 * 60 * 1000));
    expect(region.querySelector('time')?.textContent).toBe('00:59');
    expect(region.className).toContain('banner-soon');
    act(() => vi.advanceTimersByTime(120 * 1000));
    expect(region.querySelector('time')?.textContent).toBe('00:00');

    fireEvent.click(screen.getByRole('button', { name: 'Stop Impersonation' }));
    expect(onStop).toHaveBeenCalledOnce();
  });

  it("says Sigma's checks applied for a session in a tenant org, and only then", () => {
    const { rerender } = render(
      <Banner session={session({ tenant: 'globex-org' })} deadlineMs={Date.now() + 60_000} expiringSoon={false} stopping={false} onStop={() => {}} />,
    );
    expect(screen.getByText("Tenant globex-org · Sigma's checks applied")).toBeTruthy();
    rerender(<Banner session={session({ tenant: null })} deadlineMs={Date.now() + 60_000} expiringSoon={false} stopping={false} onStop={() => {}} />);
    expect(screen.queryByText(/Sigma's checks applied/)).toBeNull();
  });

  it('has no Read-only badge for a write session and falls back to the email as the name', () => {
    render(
      <Banner
        session={session({ readOnly: false, subjectName: null })}
        deadlineMs={Date.now() + 60_000}
        expiringSoon
        stopping
        onStop={() => {}}
      />,
    );
    expect(screen.queryByText('Read-only')).toBeNull();
    expect(screen.getByRole('region').textContent).toContain('You are impersonating tom.lee@acme.example');
    expect((screen.getByRole('button', { name: 'Stop Impersonation' }) as HTMLButtonElement).disabled).toBe(true);
  });
  it('with a minute left, says so aloud and offers Extend', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-10-14T14:00:00Z'));
    const onExtend = vi.fn();
    const deadline = Date.parse('2025-10-14T14:02:00Z');
    const { rerender } = render(
      <Banner session={session()} deadlineMs={deadline} expiringSoon={false} stopping={false} onStop={() => {}} onExtend={onExtend} />,
    );
    // The alert region is there from the start (so the change is heard) but silent.
    expect(screen.getByRole('alert').textContent).toBe('');
    expect(screen.queryByRole('button', { name: 'Extend' })).toBeNull();

    // The session-expiring event…
    rerender(<Banner session={session()} deadlineMs={deadline} expiringSoon stopping={false} onStop={() => {}} onExtend={onExtend} />);
    expect(screen.getByRole('alert').textContent).toBe('Less than a minute left impersonating Tom Lee. Extend to keep the session, or it ends by itself.');
    fireEvent.click(screen.getByRole('button', { name: 'Extend' }));
    expect(onExtend).toHaveBeenCalledOnce();
    rerender(<Banner session={session()} deadlineMs={deadline} expiringSoon stopping={false} extending onStop={() => {}} onExtend={onExtend} />);
    expect(screen.getByRole('button', { name: 'Extend' }).hasAttribute('disabled')).toBe(true);
    vi.useRealTimers();
  });

  it('without the event, the countdown reaching a minute raises the announcement too', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-10-14T14:00:00Z'));
    render(<Banner session={session()} deadlineMs={Date.parse('2025-10-14T14:01:01Z')} expiringSoon={false} stopping={false} onStop={() => {}} onExtend={() => {}} />);
    expect(screen.getByRole('alert').textContent).toBe('');
    act(() => vi.advanceTimersByTime(2000));
    expect(screen.getByRole('alert').textContent).toMatch(/^Less than a minute left impersonating Tom Lee/);
    expect(screen.getByRole('button', { name: 'Extend' })).toBeTruthy();
    vi.useRealTimers();
  });
});
