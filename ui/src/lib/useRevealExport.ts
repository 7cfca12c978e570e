import { useCallback, useState } from 'react';
import { revealExport, toErrorDto, type ErrorDto } from '../ipc';

/**
 * "Show in folder" for a file an export wrote, shared by the audit log and the access review: the error of the
 * last try (cleared by a new try or a new export), so each screen shows it the same way.
 */
export function useRevealExport() {
  const [revealError, setRevealError] = useState<ErrorDto | null>(null);
  const reveal = useCallback(async (path: string) => {
    setRevealError(null);
    try {
      await revealExport(path);
    } catch (e) {
      setRevealError(toErrorDto(e));
    }
  }, []);
  const clearRevealError = useCallback(() => setRevealError(null), []);
  return { revealError, reveal, clearRevealError };
}
