import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { currentConnection, selectConnection, toErrorDto, type ConnectionState, type ErrorDto } from '../ipc';

interface ConnectionValue {
  state: ConnectionState | null;
  error: ErrorDto | null;
  loading: boolean;
  /** True once the first current_connection call has answered (either way). */
  ready: boolean;
  reload: () => Promise<void>;
  /** Makes `name` the active connection (Rust ends any active session). */
  select: (name: string) => Promise<void>;
}

const ConnectionContext = createContext<ConnectionValue | null>(null);

export function ConnectionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ConnectionState | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [ready, setReady] = useState(false);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setState(await currentConnection());
      setError(null);
    } catch (e) {
      setError(toErrorDto(e));
    } finally {
      setLoading(false);
      setReady(true);
    }
  }, []);

  const select = useCallback(async (name: string) => {
    const next = await selectConnection(name);
    setState(next);
    setError(null);
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const value = useMemo(() => ({ state, error, loading, ready, reload, select }), [state, error, loading, ready, reload, select]);
  return <ConnectionContext.Provider value={value}>{children}</ConnectionContext.Provider>;
}

/** The connection, or null outside a ConnectionProvider (for components also rendered on their own, e.g. ErrorPanel). */
export function useConnectionOrNull(): ConnectionValue | null {
  return useContext(ConnectionContext);
}

export function useConnection(): ConnectionValue {
  const value = useContext(ConnectionContext);
  if (!value) throw new Error('useConnection outside ConnectionProvider');
  return value;
}
