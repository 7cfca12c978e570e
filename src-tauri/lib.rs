//! Stand-in desktop app (Tauri shell). Built out by the desktop issue.
