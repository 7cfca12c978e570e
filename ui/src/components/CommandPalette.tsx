import * as RadixDialog from '@radix-ui/react-dialog';
import { useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { listTeams, listUsers, toErrorDto, type ErrorDto, type MemberDto, type TeamDto } from '../ipc';
import { matchItems, type PaletteItem, type PaletteKind } from '../lib/palette';
import { THEME_CHOICES, THEME_LABELS, useTheme } from '../lib/theme';
import { dialogOpen, typingInto } from '../lib/useSearchShortcut';
import { useConnection } from '../state/connection';
import { navigate, type Route } from '../state/router';
import { useSession } from '../state/session';
import { Icon, type IconName } from './Icon';
import { ShortcutSheet } from './ShortcutSheet';

interface Command extends PaletteItem {
  run: () => void;
  /** Overrides the kind's icon (Stop Impersonation gets the banner's stop icon). */
  icon?: IconName;
}

const KIND_LABEL: Record<PaletteKind, string> = { screen: 'Screen', action: 'Action', user: 'User', team: 'Team' };
const KIND_ICON: Record<PaletteKind, IconName> = { screen: 'chevron-right', action: 'key', user: 'user', team: 'team' };

interface Directory {
  /** The connection the lists were read from: another connection means another organization. */
  connection: string;
  users: MemberDto[] | null;
  teams: TeamDto[] | null;
  error: ErrorDto | null;
}

/** Users and teams for the palette, read when it first opens (and again after the connection changes). */
function useDirectory(open: boolean): Directory | null {
  const { state } = useConnection();
  const connection = state?.connection.name ?? null;
  const [dir, setDir] = useState<Directory | null>(null);
  useEffect(() => {
    if (!open || connection === null || dir?.connection === connection) return;
    let live = true;
    setDir({ connection, users: null, teams: null, error: null });
    // Archived and inactive members are included: "go to" must find anyone a ticket can name.
    Promise.all([listUsers({ search: null, includeArchived: true }), listTeams()]).then(
      ([users, teams]) => {
        if (live) setDir({ connection, users, teams, error: null });
      },
      (e: unknown) => {
        if (live) setDir({ connection, users: null, teams: null, error: toErrorDto(e) });
      },
    );
    return () => {
      live = false;
    };
    // `dir` is read only to skip a reload; listing it would restart the load when it lands.
  }, [open, connection]);
  return dir;
}

/**
 * Ctrl+K / ⌘K: a command palette to go to a user (by name, email or member ID), a team or a screen, stop an
 * impersonation, or switch the theme. Built on Radix Dialog (focus trap, Escape, restoring focus) with the ARIA
 * combobox pattern: the input keeps focus and points at the highlighted option with aria-activedescendant.
 */
export function CommandPalette({
  open,
  onOpenChange,
  onShowShortcuts,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onShowShortcuts: () => void;
}) {
  const { session, stop } = useSession();
  const [, setTheme] = useTheme();
  const dir = useDirectory(open);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const baseId = useId();

  const go = useCallback((route: Route) => () => navigate(route), []);

  const commands = useMemo<Command[]>(() => {
    const list: Command[] = [
      { id: 'screen:users', kind: 'screen', label: 'Users', pinned: true, run: go({ name: 'users' }) },
      { id: 'screen:teams', kind: 'screen', label: 'Teams', pinned: true, run: go({ name: 'teams', teamId: null }) },
      { id: 'screen:connections', kind: 'screen', label: 'Connections', pinned: true, run: go({ name: 'connections' }) },
      { id: 'screen:review', kind: 'screen', label: 'Access review', keywords: ['matrix', 'who can see', 'permissions'], pinned: true, run: go({ name: 'review' }) },
      { id: 'screen:audit', kind: 'screen', label: 'Audit log', pinned: true, run: go({ name: 'audit' }) },
    ];
    if (session) {
      list.splice(0, 0, { id: 'screen:viewing', kind: 'screen', label: 'Viewing as user', detail: session.subjectEmail, pinned: true, run: go({ name: 'viewing', tab: 'whoami' }) });
      list.push({ id: 'action:stop', kind: 'action', label: 'Stop Impersonation', detail: session.subjectName ?? session.subjectEmail, pinned: true, icon: 'stop', run: () => void stop() });
    }
    for (const choice of THEME_CHOICES) {
      list.push({ id: `action:theme-${choice}`, kind: 'action', label: `Theme: ${THEME_LABELS[choice]}`, keywords: ['appearance', 'colour', 'color', 'mode'], run: () => setTheme(choice) });
    }
    // Opened on the next tick: the palette's dialog must let go of focus before the sheet's dialog takes it.
    list.push({ id: 'action:shortcuts', kind: 'action', label: 'Keyboard shortcuts', keywords: ['help', 'keys'], pinned: true, run: () => window.setTimeout(onShowShortcuts, 0) });
    for (const m of dir?.users ?? []) {
      const state = m.isArchived ? 'archived' : m.isInactive ? 'inactive' : null;
      list.push({
        id: `user:${m.memberId}`,
        kind: 'user',
        label: m.name.trim() || m.email,
        detail: state ? `${m.email} · ${state}` : m.email,
        keywords: [m.email, m.memberId],
        run: go({ name: 'user', memberId: m.memberId }),
      });
    }
    for (const t of dir?.teams ?? []) {
      list.push({ id: `team:${t.teamId}`, kind: 'team', label: t.name, detail: t.description ?? undefined, keywords: [t.teamId], run: go({ name: 'teams', teamId: t.teamId }) });
    }
    return list;
  }, [session, stop, setTheme, onShowShortcuts, dir, go]);

  const results = useMemo(() => matchItems(commands, deferredQuery), [commands, deferredQuery]);
  const activeIndex = Math.min(active, Math.max(0, results.length - 1));
  const optionId = (i: number) => `${baseId}-opt-${i}`;

  useEffect(() => setActive(0), [deferredQuery]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${activeIndex}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  function choose(cmd: Command | undefined) {
    if (!cmd) return;
    onOpenChange(false);
    setQuery('');
    cmd.run();
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLInputElement>) {
    const last = results.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: activeIndex >= last ? 0 : activeIndex + 1,
      ArrowUp: activeIndex <= 0 ? last : activeIndex - 1,
      PageDown: Math.min(last, activeIndex + 8),
      PageUp: Math.max(0, activeIndex - 8),
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      setActive(Math.max(0, to));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(results[activeIndex]);
    }
  }

  const loading = open && dir !== null && dir.users === null && dir.error === null;
  const listId = `${baseId}-list`;
  const statusText = loading
    ? 'Loading users and teams…'
    : dir?.error
      ? `Users and teams could not be loaded: ${dir.error.message}`
      : results.length === 0
        ? `Nothing matches “${deferredQuery.trim()}”.`
        : '';

  return (
    <RadixDialog.Root
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) setQuery('');
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content className="palette" aria-describedby={undefined}>
          <RadixDialog.Title className="visually-hidden">Command palette</RadixDialog.Title>
          <div className="palette-search">
            <Icon name="search" size={16} className="palette-search-icon" />
            <input
              className="palette-input"
              role="combobox"
              aria-label="Go to a user, team or screen"
              aria-expanded={results.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={results.length > 0 ? optionId(activeIndex) : undefined}
              placeholder="Go to a user (name, email or member ID), a team or a screen…"
              value={query}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={onKeyDown}
            />
            <kbd className="palette-esc" aria-hidden="true">
              Esc
            </kbd>
          </div>
          <div className="palette-list" id={listId} role="listbox" aria-label="Results" ref={listRef}>
            {results.map((cmd, i) => (
              <div
                key={cmd.id}
                id={optionId(i)}
                data-index={i}
                role="option"
                aria-selected={i === activeIndex}
                className={i === activeIndex ? 'palette-option active' : 'palette-option'}
                onMouseMove={() => {
                  if (i !== activeIndex) setActive(i);
                }}
                onClick={() => choose(cmd)}
              >
                <Icon name={cmd.icon ?? KIND_ICON[cmd.kind]} size={14} className="palette-option-icon" />
                <span className="palette-option-text">
                  <span className="palette-option-label">{cmd.label}</span>
                  {cmd.detail && <span className="palette-option-detail">{cmd.detail}</span>}
                </span>
                <span className="palette-option-kind">{KIND_LABEL[cmd.kind]}</span>
              </div>
            ))}
          </div>
          <p className="palette-status" role="status">
            {statusText}
          </p>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export const isMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/**
 * The app-wide keys: Ctrl+K / ⌘K opens (or closes) the palette from anywhere, even while typing; "?" shows the
 * shortcut sheet when not typing. Neither fires over another dialog, whose focus trap owns the keyboard.
 */
export function GlobalShortcuts() {
  const [palette, setPalette] = useState(false);
  const [sheet, setSheet] = useState(false);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const modK = e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
      if (modK) {
        if (palette) {
          e.preventDefault();
          setPalette(false);
        } else if (!dialogOpen()) {
          e.preventDefault();
          setPalette(true);
        }
        return;
      }
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingInto(e.target) && !dialogOpen()) {
        e.preventDefault();
        setSheet(true);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [palette]);

  const showShortcuts = useCallback(() => setSheet(true), []);
  return (
    <>
      <CommandPalette open={palette} onOpenChange={setPalette} onShowShortcuts={showShortcuts} />
      <ShortcutSheet open={sheet} onOpenChange={setSheet} mac={isMac()} />
    </>
  );
}
