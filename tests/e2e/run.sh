#!/usr/bin/env bash
# End-to-end tests of the release desktop app, driven over WebDriver (WebdriverIO 9 → tauri-driver →
# WebKitWebDriver → the app), in a real window under Xvfb, with a private D-Bus session and an unlocked
# gnome-keyring, and fresh HOME / XDG / STANDIN dirs for every run.
#
#   tests/e2e/run.sh [spec files...]      (default: every tests/e2e/specs/*.test.mjs, in name order)
#
# Needs: the release app built with the UI embedded (make e2e does it), tauri-driver, WebKitWebDriver
# (webkit2gtk-driver), xvfb-run + xauth, dbus-run-session, gnome-keyring-daemon, and `npm ci` in tests/e2e.
# Environment: E2E_APP (default target/release/stand-in), E2E_SCREENSHOTS (default target/e2e-screenshots),
# E2E_KEEP_TMP=1 keeps the temp dir (app logs, audit log, driver log) for a look after the run.
# E2E_XDG_ONLY=1 sets no STANDIN_CONFIG_DIR / STANDIN_DATA_DIR, so the app finds its dirs as an installed one
# does, through XDG (the install test, tests/e2e/install/run.sh, checks where files land).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=tests/e2e/session.sh
. "$HERE/session.sh"

if [ "${1:-}" != "--inside" ]; then
  export E2E_APP=${E2E_APP:-$ROOT/target/release/stand-in}
  export E2E_SCREENSHOTS=${E2E_SCREENSHOTS:-$ROOT/target/e2e-screenshots}
  missing=()
  for tool in tauri-driver WebKitWebDriver xvfb-run xauth dbus-run-session dbus-send gnome-keyring-daemon node; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "e2e: missing ${missing[*]} (make e2e installs them: apt packages xvfb xauth webkit2gtk-driver dbus gnome-keyring, cargo install tauri-driver --locked)" >&2
    exit 1
  fi
  [ -x "$E2E_APP" ] || { echo "e2e: no app at $E2E_APP (cargo build --release --features custom-protocol -p stand-in)" >&2; exit 1; }
  [ -d "$HERE/node_modules/webdriverio" ] || { echo "e2e: run npm ci in tests/e2e first" >&2; exit 1; }
  # Tools are resolved now: HOME changes below.
  E2E_TAURI_DRIVER=$(command -v tauri-driver)
  export E2E_TAURI_DRIVER

  E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/standin-e2e.XXXXXX")
  export E2E_TMP
  cleanup_tmp() {
    if [ "${E2E_KEEP_TMP:-}" = 1 ]; then echo "e2e: kept $E2E_TMP"; else rm -rf "$E2E_TMP"; fi
  }
  trap cleanup_tmp EXIT
  mkdir -p "$E2E_TMP"/{home,config,data,cache,runtime,standin-config,standin-data} "$E2E_SCREENSHOTS"
  chmod 700 "$E2E_TMP/runtime"
  export HOME=$E2E_TMP/home XDG_CONFIG_HOME=$E2E_TMP/config XDG_DATA_HOME=$E2E_TMP/data \
    XDG_CACHE_HOME=$E2E_TMP/cache XDG_RUNTIME_DIR=$E2E_TMP/runtime \
    STANDIN_CONFIG_DIR=$E2E_TMP/standin-config STANDIN_DATA_DIR=$E2E_TMP/standin-data
  if [ "${E2E_XDG_ONLY:-}" = 1 ]; then unset STANDIN_CONFIG_DIR STANDIN_DATA_DIR; fi
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL STANDIN_SESSION_CAP_SECONDS
  # Leave WEBKIT_DISABLE_DMABUF_RENDERER unset: WebDriver screenshots hang with it.
  unset WEBKIT_DISABLE_DMABUF_RENDERER
  specs=()
  for spec in "$@"; do specs+=("$(realpath "$spec")"); done
  set +e
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$HERE/run.sh" --inside "${specs[@]}"
  rc=$?
  set -e
  # Nothing started here may outlive the run (Xvfb, dbus-daemon, gnome-keyring, tauri-driver, WebKitWebDriver,
  # the app, WebKit's processes): they all carry this run's E2E_TMP in their environment.
  session_end_leftovers E2E_TMP "$E2E_TMP" e2e
  exit $rc
fi

# ---- inside the D-Bus session and the X server ----
shift
cd "$HERE"

session_unlock_keyring e2e-keyring
SESSION_SHOW_LOGS=${E2E_SHOW_LOGS:-}
session_start_driver "$E2E_TMP/tauri-driver.log" e2e

if [ $# -gt 0 ]; then specs=("$@"); else specs=("$HERE"/specs/*.test.mjs); fi
set +e
node --test --test-concurrency=1 --test-reporter=spec "${specs[@]}"
rc=$?
set -e
exit $rc
