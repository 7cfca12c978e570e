/**
 * For unit tests outside ipc/: a fake Rust side behind the real IPC layer, so only this folder imports
 * @tauri-apps/* (tests included).
 */
import { emit } from '@tauri-apps/api/event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';

export function installFakeBackend(handler: (command: string, args: Record<string, unknown>) => unknown): void {
  mockIPC((cmd, args) => handler(cmd, (args ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
}

export function removeFakeBackend(): void {
  clearMocks();
}

/** Sends an event as the Rust side would (`session-stopped`, `session-expiring`…), through the mocked event plugin. */
export async function emitFakeEvent(event: string, payload: unknown): Promise<void> {
  await emit(event, payload);
}
