# Sourced by the scripts that drive the real app over WebDriver (tests/e2e/run.sh, bench/app.sh): the parts of a
# private desktop session they share. Not executable on its own.
#
#   session_end_leftovers NAME VALUE LABEL
#       Outside, after the session: ends every process still carrying NAME=VALUE in its environment (Xvfb,
#       dbus-daemon, gnome-keyring, tauri-driver, WebKitWebDriver, the app, WebKit's processes), politely, then
#       with SIGKILL; LABEL prefixes the message naming them.
#   session_unlock_keyring PASSWORD
#       Inside: an unlocked gnome-keyring on the private D-Bus session (the password only matters to the run's
#       throwaway XDG_DATA_HOME); sets SESSION_KEYRING_PID.
#   session_start_driver LOG LABEL
#       Inside: tauri-driver ($E2E_TAURI_DRIVER) on two free ports, E2E_PORT exported for the WebDriver client,
#       output to LOG; returns once it accepts connections. Sets SESSION_DRIVER_PID; registers an EXIT trap that
#       ends the driver with everything it started, and the keyring, and shows the end of LOG when `rc` is not 0
#       (or SESSION_SHOW_LOGS=1).

session_end_leftovers() {
  local name=$1 value=$2 label=$3 left
  ours() {
    local p
    for p in /proc/[0-9]*; do
      [ "${p#/proc/}" = $$ ] && continue
      tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "$name=$value" && echo "${p#/proc/}"
    done
    return 0
  }
  for _ in $(seq 1 50); do [ -z "$(ours)" ] && break; sleep 0.1; done
  left=$(ours)
  if [ -n "$left" ]; then
    echo "$label: ending processes left behind: $(ps -o pid=,comm= -p "${left//$'\n'/,}" | tr '\n' ' ')" >&2
    kill $left 2>/dev/null || true
    sleep 1
    left=$(ours)
    [ -z "$left" ] || kill -9 $left 2>/dev/null || true
  fi
}

session_unlock_keyring() {
  eval "$(printf '%s' "$1" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  SESSION_KEYRING_PID=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '/uint32/ {print $2}') || true
}

# A process and everything it started, children first (by pid).
session_tree() {
  local pid=$1 child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do session_tree "$child"; done
  echo "$pid"
}

session_stop() {
  local pids
  pids=$(session_tree "$SESSION_DRIVER_PID")
  kill $pids 2>/dev/null || true
  wait "$SESSION_DRIVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    ps -p "${pids//$'\n'/,}" >/dev/null 2>&1 || break
    sleep 0.1
  done
  if [ -n "${SESSION_KEYRING_PID:-}" ]; then kill "$SESSION_KEYRING_PID" 2>/dev/null || true; fi
  if [ "${SESSION_SHOW_LOGS:-}" = 1 ] || [ "${rc:-1}" != 0 ]; then
    echo "---- tauri-driver / WebKitWebDriver / app output (last 60 lines) ----"
    tail -n 60 "$SESSION_DRIVER_LOG" || true
  fi
}

session_start_driver() {
  SESSION_DRIVER_LOG=$1
  local label=$2 native_port
  free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
  E2E_PORT=$(free_port)
  native_port=$(free_port)
  while [ "$native_port" = "$E2E_PORT" ]; do native_port=$(free_port); done
  export E2E_PORT
  "$E2E_TAURI_DRIVER" --port "$E2E_PORT" --native-port "$native_port" >"$SESSION_DRIVER_LOG" 2>&1 &
  SESSION_DRIVER_PID=$!
  trap session_stop EXIT
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$E2E_PORT") 2>/dev/null && return 0
    kill -0 "$SESSION_DRIVER_PID" 2>/dev/null || { echo "$label: tauri-driver exited" >&2; cat "$SESSION_DRIVER_LOG" >&2; exit 1; }
    sleep 0.1
  done
  echo "$label: tauri-driver did not accept connections on port $E2E_PORT" >&2
  exit 1
}
