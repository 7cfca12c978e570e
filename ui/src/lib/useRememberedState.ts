import { useState, type Dispatch, type SetStateAction } from 'react';

const memory = new Map<string, unknown>();

/**
 * useState that survives the screen unmounting (for this window's lifetime): going to a profile and back keeps
 * the search and filters, as it does in Sigma. A `null` key is plain useState (for components that remember
 * only when their caller asks).
 */
export function useRememberedState<T>(key: string | null, initial: T): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => (key !== null && memory.has(key) ? (memory.get(key) as T) : initial));
  const set: Dispatch<SetStateAction<T>> = (next) => {
    setValue((prev) => {
      const resolved = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
      if (key !== null) memory.set(key, resolved);
      return resolved;
    });
  };
  return [value, set];
}
