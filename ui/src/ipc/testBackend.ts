/**
 * For unit tests outside ipc/: a fake Rust side behind the real IPC layer, so only this folder imports
 * @tauri-apps/* (tests included).
 */
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';

export function installFakeBackend(handler: (command: string, args: Record<string, unknown>) => unknown): void {
  mockIPC((cmd, args) => handler(cmd, (args ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
}

export function removeFakeBackend(): void {
  clearMocks();
}
