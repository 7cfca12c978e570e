#!/usr/bin/env bash
# BENCHMARKS.md §4: listing 100,000 members from the CLI. `standin sandbox serve --generate
# users=100000,teams=1000,documents=5000` (release build) serves the org on loopback; then, BENCH_RUNS times
# each, `standin users --all` (table) and `standin users --all --json` run against it, and for every run:
#   first row  — launch → the first row on stdout (the line after the header, or after `[`);
#   total      — launch → exit, with all 100,000 rows read;
#   peak RSS   — the CLI's VmHWM, read from /proc/PID/status every 5 ms while it runs.
# Medians are printed. With BENCH_BASELINE=PATH (another standin binary — the collect-all code from before the
# streaming change, say) the same runs are made with it in the same session and the ratios printed.
#
#   bench/list-members.sh                                   (make bench runs it)
#   BENCH_BASELINE=/tmp/standin-before bench/list-members.sh
#
# Environment: BENCH_RUNS (default 5), BENCH_LATENCY_MS (the sandbox's per-response delay, default 0),
# BENCH_NO_BUILD=1 to use target/release/standin as it is. Needs python3 and cargo.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RUNS=${BENCH_RUNS:-5}
LATENCY=${BENCH_LATENCY_MS:-0}
SPEC=users=100000,teams=1000,documents=5000

if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  (cd "$ROOT" && nice cargo build --release --quiet -p standin-cli)
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/standin-list.XXXXXX")
# A copy: another cargo run in the same tree must not swap the binary out halfway through the runs.
cp "$ROOT/target/release/standin" "$TMP/standin"
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

mkfifo "$TMP/serve.out"
started=$(date +%s.%N)
"$TMP/standin" sandbox serve --port 0 --generate "$SPEC" --latency-ms "$LATENCY" >"$TMP/serve.out" 2>/dev/null &
SERVER_PID=$!
read -r LINE <"$TMP/serve.out"
ready=$(date +%s.%N)
export SIGMA_BASE_URL SIGMA_CLIENT_ID SIGMA_CLIENT_SECRET
SIGMA_BASE_URL=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["baseUrl"])' "$LINE")
SIGMA_CLIENT_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["clientId"])' "$LINE")
SIGMA_CLIENT_SECRET=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["clientSecret"])' "$LINE")
export STANDIN_CONFIG_DIR=$TMP/config STANDIN_DATA_DIR=$TMP/data
unset STANDIN_PROFILE SIGMA_TENANT
echo "sandbox: $SPEC generated and serving in $(python3 -c "print(f'{$ready - $started:.2f}')") s (latency ${LATENCY} ms per response)"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

BINARIES=("after=$TMP/standin")
if [ -n "${BENCH_BASELINE:-}" ]; then
  cp "$BENCH_BASELINE" "$TMP/standin-baseline"
  BINARIES=("before=$TMP/standin-baseline" "${BINARIES[@]}")
fi

python3 - "$RUNS" "${BINARIES[@]}" <<'PY'
import os, statistics, subprocess, sys, threading, time

runs = int(sys.argv[1])
binaries = [b.split("=", 1) for b in sys.argv[2:]]

def peak_watcher(pid, out):
    peak = 0
    while True:
        try:
            with open(f"/proc/{pid}/status") as f:
                hwm = next((l for l in f if l.startswith("VmHWM:")), None)
        except OSError:
            break
        if hwm is None:
            break  # a zombie: its memory is gone
        peak = max(peak, int(hwm.split()[1]))
        time.sleep(0.005)
    out.append(peak)

def one(binary, args):
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
    peak = []
    w = threading.Thread(target=peak_watcher, args=(p.pid, peak)); w.start()
    first_row = None; lines = 0; buf = b""
    while True:
        chunk = p.stdout.read(1 << 16)
        if not chunk:
            break
        n = chunk.count(b"\n")
        if first_row is None and lines + n >= 2:
            first_row = time.perf_counter() - t0
        lines += n
    p.wait(); total = time.perf_counter() - t0; w.join()
    if p.returncode != 0:
        sys.exit(f"{binary} {' '.join(args)} exited {p.returncode}")
    return first_row, total, peak[0] / 1024, lines

results = {}
for mode, args in [("table", ["users", "--all"]), ("json", ["users", "--all", "--json"])]:
    for name, binary in binaries:
        samples = [one(binary, args) for _ in range(runs)]
        med = lambda i: statistics.median(s[i] for s in samples)
        results[(mode, name)] = (med(0), med(1), med(2), samples[0][3])

print(f"\n{'output':<6} {'binary':<7} {'first row':>10} {'total':>9} {'peak RSS':>9} {'lines':>8}   (medians of {runs} runs)")
for (mode, name), (first, total, rss, lines) in results.items():
    print(f"{mode:<6} {name:<7} {first*1000:>8.0f} ms {total:>7.2f} s {rss:>6.0f} MiB {lines:>8}")
if len(binaries) == 2:
    print()
    for mode in ("table", "json"):
        b = results[(mode, "before")]; a = results[(mode, "after")]
        print(f"{mode}: first row {b[0]/a[0]:.1f}x sooner, total {b[1]/a[1]:.2f}x, peak RSS {b[2]/a[2]:.1f}x smaller")
PY
