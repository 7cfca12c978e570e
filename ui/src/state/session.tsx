import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  currentSession,
  onSessionExpiring,
  onSessionStarted,
  onSessionStopped,
  startImpersonation,
  stopImpersonation,
  toErrorDto,
  type SessionDto,
  type StartRequest,
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
  /** False until the first current_session answer (so screens do not load twice at start-up). */
  ready: boolean;
  /** Rejects with an ErrorDto; on success the page moves to "Viewing as". */
  start: (request: StartRequest) => Promise<SessionDto>;
  /** Stop Impersonation: ends the session and returns to the user's profile as yourself. */
  stop: () => Promise<void>;
  /** Re-reads the session from Rust (e.g. after the active connection changed). */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

function profileRoute(result: Pick<StopResult, 'subjectId'>) {
  return result.subjectId ? { name: 'user' as const, memberId: result.subjectId } : { name: 'users' as const };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { push } = useNotices();
  const [session, setSession] = useState<SessionDto | null>(null);
  const [deadlineMs, setDeadlineMs] = useState<number | null>(null);
  const [expiringSoon, setExpiringSoon] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [ready, setReady] = useState(false);
  // Events arrive outside React's render cycle; the ref lets handlers see the latest session.
  const current = useRef<SessionDto | null>(null);

  const adopt = useCallback((s: SessionDto | null) => {
    const changed = current.current?.id !== s?.id;
    current.current = s;
    setSession(s);
    setDeadlineMs(s ? sessionDeadline(s, Date.now()) : null);
    if (changed) setExpiringSoon(false);
  }, []);

  const ended = useCallback(
    (result: StopResult) => {
      const s = current.current;
      // Ignore a late event about a session that is no longer ours (one replaced by a new start).
      if (!s || s.id !== result.sessionId) return;
      adopt(null);
      if (result.reason === 'expired' || result.reason === 'endedByServer') {
        push({
          tone: 'warning',
          title:
            result.reason === 'expired'
              ? `Impersonation of ${subjectLabel(s)} ended: time ran out`
              : `Impersonation of ${subjectLabel(s)} ended: the session expired on the server`,
          body:
            result.reason === 'expired'
              ? 'You are back as yourself.'
              : 'Sigma no longer accepts the impersonation token. You are back as yourself; start a new session to go on.',
          sticky: true,
        });
        // Screens that act as the user cannot stay open without a session.
        if (parseRoute(window.location.hash).name === 'viewing') navigate(profileRoute(result));
      }
    },
    [adopt, push],
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
      const target = result ?? (s ? { subjectId: s.subjectId } : null);
      if (target) navigate(profileRoute(target));
    } catch (e) {
      // Stopping discards the token locally in Rust and cannot get stuck; still, never leave a stale banner.
      adopt(null);
      push({ tone: 'error', title: 'Stop Impersonation reported an error', body: toErrorDto(e).message });
    } finally {
      setStopping(false);
    }
  }, [adopt, push]);

  const value = useMemo(
    () => ({ session, deadlineMs, expiringSoon, stopping, ready, start, stop, refresh }),
    [session, deadlineMs, expiringSoon, stopping, ready, start, stop, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
