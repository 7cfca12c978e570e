#!/usr/bin/env bash
# The desktop app benchmark: Stand-in's release app vs an empty Tauri window (bench/empty-window, same tauri
# version and features, built in the same cargo run), in one run, under Xvfb, in the e2e suite's environment
# (private D-Bus session, unlocked gnome-keyring, tauri-driver → WebKitWebDriver, fresh HOME/XDG/STANDIN dirs —
# here for every launch, so each is a first launch).
#
#   bench/app.sh                 builds what it needs (UI, release app, empty window), then measures
#
# Measures (bench/app/bench.mjs): launch → users table painted (spawn to the second animation frame after the
# first rows are in the DOM; the empty window: to its first frame painted), ≥ 10 launches each, median and p90;
# PSS summed over the app and all its descendants (WebKitWebProcess, WebKitNetworkProcess, …) at rest (5 s after
# the paint) and with a session open and every Viewing-as tab visited, against the empty window at rest.
# Environment: BENCH_RUNS (launches of each, default 10), BENCH_SESSION_RUNS (launches that also open a session,
# default 3), BENCH_NO_BUILD=1 (measure the binaries as they are), BENCH_OUT (default target/bench/app.json),
# BENCH_SHOTS (default target/bench-screenshots), BENCH_STRICT=1 (exit 1 when a budget is missed),
# BENCH_PHASES=1 (print each launch's phases since the spawn: page origin, HTML, script start, first IPC calls,
# paint),
# BENCH_VARIANTS ("name:K=V K=V|name2:K=V": more app variants measured in the same run, each launch with that
# environment added; the plain app is always measured as "app").
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
E2E=$ROOT/tests/e2e
# The private desktop session the e2e suite runs in: keyring, tauri-driver, clean-up.
# shellcheck source=tests/e2e/session.sh
. "$E2E/session.sh"

if [ "${1:-}" != "--inside" ]; then
  export BENCH_APP=${BENCH_APP:-$ROOT/target/release/stand-in}
  export BENCH_EMPTY=${BENCH_EMPTY:-$ROOT/target/release/empty-window}
  if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
    # The one release build (as `make app`) plus the empty window, in one cargo run: one feature resolution, so
    # the baseline links the very tauri the app links.
    make -C "$ROOT" -s setup ui/dist/index.html
    (cd "$ROOT" && nice cargo build --release \
      --features stand-in/custom-protocol,standin-empty-window/custom-protocol \
      -p stand-in -p standin-cli -p standin-empty-window)
  fi
  missing=()
  for tool in tauri-driver WebKitWebDriver xvfb-run xauth dbus-run-session dbus-send gnome-keyring-daemon node; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: missing ${missing[*]} (make e2e installs them)" >&2
    exit 1
  fi
  for bin in "$BENCH_APP" "$BENCH_EMPTY"; do
    [ -x "$bin" ] || { echo "bench: no binary at $bin" >&2; exit 1; }
  done
  [ -d "$E2E/node_modules/webdriverio" ] || { echo "bench: run npm ci in tests/e2e first" >&2; exit 1; }
  E2E_TAURI_DRIVER=$(command -v tauri-driver)
  export E2E_TAURI_DRIVER
  export BENCH_OUT=${BENCH_OUT:-$ROOT/target/bench/app.json}
  export BENCH_SHOTS=${BENCH_SHOTS:-$ROOT/target/bench-screenshots}
  mkdir -p "$(dirname "$BENCH_OUT")" "$BENCH_SHOTS"

  BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/standin-bench.XXXXXX")
  export BENCH_TMP
  trap 'rm -rf "$BENCH_TMP"' EXIT
  mkdir -p "$BENCH_TMP"/{home,config,data,cache,runtime}
  chmod 700 "$BENCH_TMP/runtime"
  # The keyring daemon's own dirs; every launch gets fresh ones of its own (app/bench.mjs).
  export HOME=$BENCH_TMP/home XDG_CONFIG_HOME=$BENCH_TMP/config XDG_DATA_HOME=$BENCH_TMP/data \
    XDG_CACHE_HOME=$BENCH_TMP/cache XDG_RUNTIME_DIR=$BENCH_TMP/runtime
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL STANDIN_SESSION_CAP_SECONDS STANDIN_GPU_COMPOSITING \
    STANDIN_CONFIG_DIR STANDIN_DATA_DIR
  # As in the e2e suite: WebDriver screenshots hang with it.
  unset WEBKIT_DISABLE_DMABUF_RENDERER
  set +e
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$HERE/app.sh" --inside
  rc=$?
  set -e
  # Nothing started here may outlive the run: everything carries this run's BENCH_TMP in its environment.
  session_end_leftovers BENCH_TMP "$BENCH_TMP" bench
  exit $rc
fi

# ---- inside the D-Bus session and the X server ----
session_unlock_keyring bench-keyring
session_start_driver "$BENCH_TMP/tauri-driver.log" bench
set +e
node "$HERE/app/bench.mjs"
rc=$?
set -e
exit $rc
