import type { ErrorDto } from './bindings';

export function isErrorDto(value: unknown): value is ErrorDto {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * Commands reject with an ErrorDto; anything else (a Tauri-level failure such as "command not found", a thrown
 * Error in the mock, a plain string) still becomes one, so the UI has a single error shape to show.
 */
export function toErrorDto(e: unknown): ErrorDto {
  if (isErrorDto(e)) {
    const obj = e as ErrorDto & { requestId?: string | null; rule?: string | null };
    return { code: obj.code, message: obj.message, requestId: obj.requestId ?? null, rule: obj.rule ?? null };
  }
  if (e instanceof Error) return { code: 'internal', message: e.message, requestId: null, rule: null };
  if (typeof e === 'string') return { code: 'internal', message: e, requestId: null, rule: null };
  return { code: 'internal', message: 'Something went wrong.', requestId: null, rule: null };
}
