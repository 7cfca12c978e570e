import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  currentSession,
  extendSession,
  onSessionExpiring,
  onSessionStarted,
  onSessionStopped,
  startImpersonation,
  stopImpersonation,
  toErrorDto,
  type SessionDto,
  type StartRequest,
  type StopReason,
  type StopResult,
} from '../ipc';
import { sessionDeadline, subjectLabel } from '../lib/sessionTime';
import { useNotices } from './notices';
import { navigate, parseRoute } from './router';

interface SessionValue {
  session: SessionDto | null;
  /** When the session ends, in this page's clock (ms). */
  deadlineMs: number | null;
  /** Set by the session-expiring event (a minute before the end). */
  expiringSoon: boolean;
  stopping: boolean;
  /** An Extend is in flight. */
  extending: boolean;
  /** False until the first current_session answer (so screens do not load twice at start-up). */
  ready: boolean;
  /** Rejects with an ErrorDto; on success the page moves to "Viewing as". */
  start: (request: StartRequest) => Promise<SessionDto>;
  /** Stop Impersonation: ends the session and returns to the user's profile as yourself. */
  stop: () => Promise<void>;
  /** Extend: a new exchange for the same user, reason and mode (the session ID changes). Errors become a notice. */
  extend: () => Promise<void>;
  /** Re-reads the session from Rust (e.g. after the active connection changed). */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

function profileRoute(result: Pick<StopResult, 'subjectId'>) {
  return result.subjectId ? { name: 'user' as const, memberId: result.subjectId } : { name: 'users' as const };
}

/** What the notice says for each way a session ends: none ends without saying why. */
export function endNotice(name: string, reason: StopReason): { title: string; body: string; tone: 'info' | 'warning'; sticky: boolean } {
  switch (reason) {
    case 'stopped':
      return { tone: 'info', sticky: false, title: `Impersonation of ${name} ended: you stopped it`, body: 'You are back as yourself.' };
    case 'expired':
      return { tone: 'warning', sticky: true, title: `Impersonation of ${name} ended: time ran out`, body: 'You are back as yourself.' };
    case 'endedByServer':
      return {
        tone: 'warning',
        sticky: true,
        title: `Impersonation of ${name} ended: the session expired on the server`,
        body: 'Sigma no longer accepts the impersonation token. You are back as yourself; start a new session to go on.',
      };
    case 'switched':
      return {
        tone: 'warning',
        sticky: true,
        title: `Impersonation of ${name} ended: the connection changed`,
        body: 'A session belongs to the connection it was started on. You are back as yourself.',
      };
    case 'replaced':
      return { tone: 'info', sticky: false, title: `Impersonation of ${name} ended: a new session replaced it`, body: 'Only one session can be active at a time.' };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { push } = useNotices();
  const [session, setSession] = useState<SessionDto | null>(null);
  const [deadlineMs, setDeadlineMs] = useState<number | null>(null);
  const [expiringSoon, setExpiringSoon] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [extending, setExtending] = useState(false);
  const [ready, setReady] = useState(false);
  // Events arrive outside React's render cycle; the ref lets handlers see the latest session.
  const current = useRef<SessionDto | null>(null);
  // Sessions whose end was already told: Stop's answer and its session-stopped event may come in either order.
  const told = useRef(new Set<string>());
  // Every session this window has seen, so an end event that comes after a re-read (a connection switch
  // answers before its event may arrive) still says whose session ended and why.
  const known = useRef(new Map<string, SessionDto>());

  const tell = useCallback(
    (s: SessionDto, reason: StopReason) => {
      if (told.current.has(s.id)) return;
      told.current.add(s.id);
      push(endNotice(subjectLabel(s), reason));
    },
    [push],
  );

  const adopt = useCallback((s: SessionDto | null) => {
    const changed = current.current?.id !== s?.id;
    if (s) known.current.set(s.id, s);
    current.current = s;
    setSession(s);
    setDeadlineMs(s ? sessionDeadline(s, Date.now()) : null);
    if (changed) setExpiringSoon(false);
  }, []);

  const ended = useCallback(
    (result: StopResult) => {
      const s = known.current.get(result.sessionId);
      if (!s) return;
      // A late event about a session already replaced must not clear the new one.
      if (current.current?.id === result.sessionId) adopt(null);
      tell(s, result.reason);
      // Screens that act as the user cannot stay open without a session (a replacement opens its own).
      if (result.reason !== 'replaced' && parseRoute(window.location.hash).name === 'viewing') navigate(profileRoute(result));
    },
    [adopt, tell],
  );

  const refresh = useCallback(async () => {
    try {
      adopt(await currentSession());
    } catch (e) {
      // Without a readable session the app still works as yourself; Rust logs the cause.
      push({ tone: 'error', title: 'Could not read the impersonation session', body: toErrorDto(e).message });
    } finally {
      setReady(true);
    }
  }, [adopt, push]);

  useEffect(() => {
    void refresh();
    const offStarted = onSessionStarted((s) => adopt(s));
    const offExpiring = onSessionExpiring((e) => {
      if (current.current?.id === e.sessionId) setExpiringSoon(true);
    });
    const offStopped = onSessionStopped(ended);
    return () => {
      offStarted();
      offExpiring();
      offStopped();
    };
  }, [adopt, ended, refresh]);

  const start = useCallback(
    async (request: StartRequest) => {
      const s = await startImpersonation(request);
      adopt(s);
      navigate({ name: 'viewing', tab: 'whoami' });
      return s;
    },
    [adopt],
  );

  const stop = useCallback(async () => {
    const s = current.current;
    setStopping(true);
    try {
      const result = await stopImpersonation();
      adopt(null);
      if (s) tell(s, 'stopped');
      const target = result ?? (s ? { subjectId: s.subjectId } : null);
      if (target) navigate(profileRoute(target));
    } catch (e) {
      // Stopping discards the token locally in Rust and cannot get stuck; still, never leave a stale banner.
      adopt(null);
      push({ tone: 'error', title: 'Stop Impersonation reported an error', body: toErrorDto(e).message });
    } finally {
      setStopping(false);
    }
  }, [adopt, push, tell]);

  const extend = useCallback(async () => {
    const s = current.current;
    if (!s) return;
    setExtending(true);
    try {
      adopt(await extendSession());
      push({ tone: 'success', title: `Session as ${subjectLabel(s)} extended`, body: 'A new session with the same reason and mode; it is in the audit log.' });
    } catch (e) {
      // The old session carries on untouched (Rust swaps only once the new one is on record).
      push({ tone: 'error', title: `Could not extend the session as ${subjectLabel(s)}`, body: toErrorDto(e).message });
    } finally {
      setExtending(false);
    }
  }, [adopt, push]);

  const value = useMemo(
    () => ({ session, deadlineMs, expiringSoon, stopping, extending, ready, start, stop, extend, refresh }),
    [session, deadlineMs, expiringSoon, stopping, extending, ready, start, stop, extend, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
