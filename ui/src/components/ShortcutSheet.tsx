import { Dialog } from './Dialog';

interface Shortcut {
  keys: string[];
  /** Pressed together (Ctrl + K) rather than alternatives (↑ or ↓). */
  together?: boolean;
  what: string;
}

export function shortcutGroups(mac: boolean): { title: string; shortcuts: Shortcut[] }[] {
  const mod = mac ? '⌘' : 'Ctrl';
  return [
    {
      title: 'Anywhere',
      shortcuts: [
        { keys: [mod, 'K'], together: true, what: 'Command palette: go to a user, team or screen; Stop Impersonation; theme' },
        { keys: ['/'], what: 'Search the screen’s list (users by name, email or member ID; teams by name)' },
        { keys: ['?'], what: 'This list of shortcuts' },
        { keys: ['Esc'], what: 'Close a dialog or menu; clear a search box' },
      ],
    },
    {
      title: 'Users table',
      shortcuts: [
        { keys: ['↑', '↓'], what: 'Previous or next user' },
        { keys: ['Page Up', 'Page Down'], what: 'A page up or down' },
        { keys: ['Home', 'End'], what: 'First or last user' },
        { keys: ['Enter'], what: 'Open the user’s profile' },
      ],
    },
    {
      title: 'Command palette',
      shortcuts: [
        { keys: ['↑', '↓'], what: 'Move through the results' },
        { keys: ['Enter'], what: 'Go to the highlighted result' },
      ],
    },
  ];
}

/** "?" (when not typing): every keyboard shortcut, grouped by where it works. */
export function ShortcutSheet({ open, onOpenChange, mac }: { open: boolean; onOpenChange: (open: boolean) => void; mac: boolean }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts" width={560}>
      <div className="dialog-body shortcut-sheet">
        {shortcutGroups(mac).map((group) => (
          <section key={group.title} className="shortcut-group" aria-labelledby={`shortcuts-${group.title.replace(/\s+/g, '-').toLowerCase()}`}>
            <h3 className="shortcut-group-title" id={`shortcuts-${group.title.replace(/\s+/g, '-').toLowerCase()}`}>
              {group.title}
            </h3>
            <dl className="shortcut-list">
              {group.shortcuts.map((s) => (
                <div key={s.what} className="shortcut-row">
                  <dt className="shortcut-keys">
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && <span className="shortcut-sep">{s.together ? ' + ' : ' or '}</span>}
                        <kbd className="kbd">{k}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd className="shortcut-what">{s.what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
