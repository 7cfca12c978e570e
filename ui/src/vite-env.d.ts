/// <reference types="vite/client" />
interface ImportMetaEnv {
  /** Set (to anything but "" / "0" / "false") to run the UI against the in-memory mock backend. */
  readonly VITE_IPC_MOCK?: string;
}
