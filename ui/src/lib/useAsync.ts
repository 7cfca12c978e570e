import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { toErrorDto, type ErrorDto } from '../ipc';

export interface AsyncState<T> {
  data: T | undefined;
  error: ErrorDto | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs an IPC call when `deps` change and on `reload()`. Results of superseded runs are dropped, so a slow
 * answer for an old search can never overwrite a newer one.
 */
export function useAsync<T>(fn: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const run = useRef(0);

  useEffect(() => {
    const mine = ++run.current;
    setLoading(true);
    setError(null);
    fn().then(
      (value) => {
        if (run.current !== mine) return;
        setData(value);
        setLoading(false);
      },
      (e: unknown) => {
        if (run.current !== mine) return;
        setError(toErrorDto(e));
        setLoading(false);
      },
    );
    // `fn` is a fresh closure each render; `deps` says when it really changes.
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, loading, reload };
}
