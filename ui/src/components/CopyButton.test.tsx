import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../ipc';
import { COPIED_MS, CopyButton, writeClipboard } from './CopyButton';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
});

const noRust = { code: 'internal', message: 'no Rust side', requestId: null, rule: null };

describe('writeClipboard', () => {
  it('goes through Rust first, and does not touch the web API when that worked', async () => {
    const rust = vi.spyOn(ipc, 'copyText').mockResolvedValue(null);
    const web = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: web } });
    expect(await writeClipboard('m-42')).toBe(true);
    expect(rust).toHaveBeenCalledWith('m-42');
    expect(web).not.toHaveBeenCalled();
  });

  it('falls back to the web Clipboard API, and reports failure when neither works', async () => {
    vi.spyOn(ipc, 'copyText').mockRejectedValue(noRust);
    const web = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: web } });
    expect(await writeClipboard('m-42')).toBe(true);
    expect(web).toHaveBeenCalledWith('m-42');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
    expect(await writeClipboard('m-42')).toBe(false);
  });
});

describe('CopyButton', () => {
  it('is named for what it copies, says "Copied" in a live region, then clears', async () => {
    vi.useFakeTimers();
    vi.spyOn(ipc, 'copyText').mockResolvedValue(null);
    render(<CopyButton text="m-42" label="Copy member ID" />);
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy member ID' }));
    });
    expect(status.textContent).toBe('Copied');
    await act(async () => {
      vi.advanceTimersByTime(COPIED_MS + 10);
    });
    expect(status.textContent).toBe('');
  });
});
