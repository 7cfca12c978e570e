import { useEffect, useRef, useState } from 'react';
import { copyText } from '../ipc';
import { Icon } from './Icon';

/**
 * Puts text on the clipboard: through Rust first (the app's window is WebKitGTK, whose Clipboard API is often
 * missing or refuses), then the web Clipboard API (a plain browser, tests). Says whether it really happened, so
 * the button never claims "Copied" over an unchanged clipboard.
 */
export async function writeClipboard(text: string): Promise<boolean> {
  try {
    await copyText(text);
    return true;
  } catch {
    // No Rust side (a plain browser) or the plugin failed: try the web API.
  }
  try {
    if (typeof navigator !== 'undefined' && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied or unavailable: reported to the user below.
  }
  return false;
}

/** How long "Copied" stays; a failure stays until the next try, so it can be read and acted on. */
export const COPIED_MS = 2000;

/**
 * A small Copy button beside an ID, an email or a response. Its accessible name says what it copies
 * ("Copy member ID"); the result is announced in a polite live region next to it.
 */
export function CopyButton({
  text,
  label,
  showText = false,
  className,
}: {
  text: string;
  /** The accessible name, e.g. "Copy member ID". */
  label: string;
  /** Show "Copy" beside the icon (for larger, stand-alone buttons). */
  showText?: boolean;
  className?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function copy() {
    if (timer.current) clearTimeout(timer.current);
    const ok = await writeClipboard(text);
    setState(ok ? 'copied' : 'failed');
    if (ok) timer.current = setTimeout(() => setState('idle'), COPIED_MS);
  }

  return (
    <span className={className ? `copy ${className}` : 'copy'}>
      <button
        type="button"
        className={showText ? 'btn btn-secondary btn-sm' : 'btn btn-ghost btn-sm btn-icon copy-button'}
        aria-label={showText ? undefined : label}
        title={label}
        onClick={() => void copy()}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} size={14} />
        {showText && label}
      </button>
      <span className={`copy-status ${state}`} role="status" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed — select and press Ctrl+C' : ''}
      </span>
    </span>
  );
}
