#!/usr/bin/env bash
# tauri-driver launches this as the "application" for every bench launch (bench/app/bench.mjs). It records the
# moment of spawn and its pid (exec keeps it: the pid is the app's), gives the launch the fresh HOME/XDG/STANDIN
# dirs and variant environment the helper wrote for it, and becomes the app (or the empty window).
# $EPOCHREALTIME is a bash builtin: no fork before the timestamp.
spawned=$EPOCHREALTIME
set -eu
# shellcheck disable=SC1090
. "$BENCH_TMP/next-launch.env"
printf '%s %s\n' "$spawned" "$$" >"$BENCH_LAUNCH_DIR/spawn"
exec "$BENCH_EXEC" "$@"
