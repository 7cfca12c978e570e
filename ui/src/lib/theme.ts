import { useSyncExternalStore } from 'react';

/**
 * The in-app theme: "system" follows the OS (prefers-color-scheme), "light" and "dark" override it. The choice
 * lives in localStorage (the web view's storage survives restarts) and is applied as `data-theme` on <html>,
 * which tokens.css honours alongside the media query.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
export const THEME_KEY = 'standin.theme';

function isChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

// Used only when storage is unavailable (a locked-down web view): the choice then lasts for this run.
let unsaved: ThemeChoice = 'system';

export function readTheme(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(THEME_KEY);
    return isChoice(stored) ? stored : 'system';
  } catch {
    return unsaved;
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  // No attribute for "system" so the prefers-color-scheme media query decides, live, as the OS changes.
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

const listeners = new Set<() => void>();

export function setTheme(choice: ThemeChoice): void {
  try {
    if (choice === 'system') window.localStorage.removeItem(THEME_KEY);
    else window.localStorage.setItem(THEME_KEY, choice);
  } catch {
    unsaved = choice;
  }
  applyTheme(choice);
  listeners.forEach((l) => l());
}

/** Applies the stored choice; called once before the first render so a dark theme never flashes light. */
export function applyStoredTheme(): ThemeChoice {
  const choice = readTheme();
  applyTheme(choice);
  return choice;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  // Storage is the single source of truth (a string read is cheap), so every switch and the palette agree.
  return [useSyncExternalStore(subscribe, readTheme, readTheme), setTheme];
}

export const THEME_LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };
