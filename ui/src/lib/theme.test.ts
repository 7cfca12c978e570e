import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyStoredTheme, readTheme, setTheme, THEME_KEY, useTheme } from './theme';

afterEach(() => {
  window.localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});

describe('theme persistence', () => {
  it('defaults to System: no data-theme, so the OS colour scheme decides', () => {
    expect(readTheme()).toBe('system');
    expect(applyStoredTheme()).toBe('system');
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
  });

  it('stores Dark and Light and applies them as data-theme on <html>', () => {
    setTheme('dark');
    expect(window.localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    setTheme('light');
    expect(document.documentElement.getAttribute('data-theme')).toBe('light');
    setTheme('system');
    expect(window.localStorage.getItem(THEME_KEY)).toBeNull();
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
  });

  it('re-applies the stored choice at the next launch', () => {
    window.localStorage.setItem(THEME_KEY, 'dark');
    expect(applyStoredTheme()).toBe('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
  });

  it('ignores a stored value it does not know', () => {
    window.localStorage.setItem(THEME_KEY, 'sepia');
    expect(applyStoredTheme()).toBe('system');
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
  });

  it('still applies the choice for this run when storage is unavailable', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new Error('QuotaExceededError');
    });
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new Error('SecurityError');
    });
    setTheme('dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(readTheme()).toBe('dark');
    vi.restoreAllMocks();
    setTheme('system');
  });

  it('useTheme re-renders every user of the hook when the choice changes', () => {
    const a = renderHook(() => useTheme());
    const b = renderHook(() => useTheme());
    act(() => a.result.current[1]('dark'));
    expect(a.result.current[0]).toBe('dark');
    expect(b.result.current[0]).toBe('dark');
  });
});
