#!/bin/sh
# The release app with a short policy cap on sessions, so the expiry test sees a session end by itself.
# tauri-driver launches this script as the "application"; it passes WebKitWebDriver's arguments on.
HERE=$(cd "$(dirname "$0")" && pwd)
export STANDIN_SESSION_CAP_SECONDS="${E2E_SESSION_CAP_SECONDS:-6}"
exec "${E2E_APP:-$HERE/../../target/release/stand-in}" "$@"
