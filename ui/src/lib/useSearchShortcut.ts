import { useEffect, type RefObject } from 'react';

/** True when a key press is text entry (so single-key shortcuts like "/" and "?" must not fire). */
export function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** A dialog (or the command palette) is open: its focus trap owns the keyboard. */
export function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"], [role="alertdialog"]') !== null;
}

/**
 * "/" (when not typing) focuses the screen's search box, like Sigma, GitHub and most admin consoles.
 * Ctrl+K / ⌘K is the command palette (components/CommandPalette.tsx), not the search box.
 */
export function useSearchShortcut(ref: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingInto(e.target);
      if (!slash || dialogOpen()) return;
      e.preventDefault();
      ref.current?.focus();
      ref.current?.select();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ref]);
}
