# Sourced by the whole-process benchmarks (bench/cli-compare.sh, bench/access-review.sh): the private desktop
# environment they time the CLI in, and the sandbox server they time it against. Not executable on its own.
#
#   bench_reexec_in_private_session SCRIPT [ARGS…]
#       Outside: fresh HOME/XDG/STANDIN dirs under $BENCH_TMP (made here, removed at exit), then SCRIPT --inside
#       in a private D-Bus session (dbus-run-session); exits with its status.
#   bench_unlock_keyring
#       Inside: an unlocked gnome-keyring on that session (the audit key lives there, as on a desktop).
#   bench_start_sandbox STANDIN [SERVE_ARGS…]
#       Inside: `STANDIN sandbox serve --port 0 SERVE_ARGS…` in the background, waits for its serve.json and
#       exports SIGMA_BASE_URL, SIGMA_CLIENT_ID and SIGMA_CLIENT_SECRET from it; the server and the keyring
#       daemon are stopped at exit.

bench_reexec_in_private_session() {
  local script=$1
  shift
  BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/standin-bench.XXXXXX")
  export BENCH_TMP
  trap 'rm -rf "$BENCH_TMP"' EXIT
  mkdir -p "$BENCH_TMP"/{home,data,runtime,standin-config,standin-data,bin}
  chmod 700 "$BENCH_TMP/runtime"
  # Inherited, these would point the CLI at the desktop's keyring or another org.
  local status=0
  env -u DBUS_SESSION_BUS_ADDRESS -u STANDIN_PROFILE -u SIGMA_TENANT \
    HOME="$BENCH_TMP/home" XDG_DATA_HOME="$BENCH_TMP/data" XDG_RUNTIME_DIR="$BENCH_TMP/runtime" \
    STANDIN_CONFIG_DIR="$BENCH_TMP/standin-config" STANDIN_DATA_DIR="$BENCH_TMP/standin-data" \
    dbus-run-session -- "$script" --inside "$@" || status=$?
  exit "$status"
}

bench_unlock_keyring() {
  eval "$(printf 'bench-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
  BENCH_KEYRING_PID=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '/uint32/ {print $2}') || true
}

bench_cleanup() {
  if [ -n "${BENCH_SERVE_PID:-}" ]; then
    kill "$BENCH_SERVE_PID" 2>/dev/null || true
    wait "$BENCH_SERVE_PID" 2>/dev/null || true
  fi
  if [ -n "${BENCH_KEYRING_PID:-}" ]; then kill "$BENCH_KEYRING_PID" 2>/dev/null || true; fi
}

bench_start_sandbox() {
  local standin=$1
  shift
  "$standin" sandbox serve --port 0 "$@" >"$BENCH_TMP/serve.json" 2>"$BENCH_TMP/serve.log" &
  BENCH_SERVE_PID=$!
  trap bench_cleanup EXIT
  # A generated org of 100k users takes a few seconds to build: up to 30 s.
  for _ in $(seq 1 600); do [ -s "$BENCH_TMP/serve.json" ] && break; sleep 0.05; done
  [ -s "$BENCH_TMP/serve.json" ] || { echo "bench: the sandbox did not start:" >&2; cat "$BENCH_TMP/serve.log" >&2; exit 1; }
  SIGMA_BASE_URL=$(bench_serve_field baseUrl)
  SIGMA_CLIENT_ID=$(bench_serve_field clientId)
  SIGMA_CLIENT_SECRET=$(bench_serve_field clientSecret)
  export SIGMA_BASE_URL SIGMA_CLIENT_ID SIGMA_CLIENT_SECRET
}

bench_serve_field() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$BENCH_TMP/serve.json" "$1"
}
