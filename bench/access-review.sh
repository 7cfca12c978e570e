#!/usr/bin/env bash
# BENCHMARKS.md, access review: 1,000 users × 5,000 documents on a sandbox with 20 ms per request, three ways,
# against one `standin sandbox serve` in the same run:
#
#   loop         bench/access-review-loop.py: what a reviewer scripts today — for each user in turn, the
#                requests `standin as EMAIL compare` makes (the admin's listing, the exchange, the user's
#                listing), sequentially, one process, one keep-alive connection, no audit log;
#   review -c 1  the release CLI, `standin access-review --all --concurrency 1` (admin side listed once, one
#                user at a time, every session audited): what is saved by not re-listing the admin side;
#   review -c 8  the same at the default concurrency: what concurrency adds on top;
#   review -c 8, audit log on tmpfs: the same with fdatasync made nearly free (what the audit log's syncs cost).
#
#   bench/access-review.sh        (env: BENCH_USERS=1000 BENCH_DOCUMENTS=5000 BENCH_TEAMS=50 BENCH_LATENCY_MS=20,
#                                  BENCH_NO_BUILD=1 to time target/release/standin as it is, BENCH_STANDIN=PATH
#                                  to time another binary)
#
# Requests are counted by the sandbox (GET /sandbox/request-count before and after each run). Each run must do
# the whole job: the review must cover every user the loop covers, with the same number of matrix cells.
# Needs: dbus-run-session, gnome-keyring-daemon, python3 with PyJWT and requests (make setup), cargo.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"

if [ "${1:-}" != "--inside" ]; then
  for tool in dbus-run-session gnome-keyring-daemon python3 cargo; do
    command -v "$tool" >/dev/null || { echo "access-review bench: missing $tool (make setup)" >&2; exit 1; }
  done
  python3 -c 'import jwt, requests' 2>/dev/null \
    || { echo "access-review bench: python3 lacks PyJWT or requests (make setup)" >&2; exit 1; }
  if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
    (cd "$ROOT" && nice cargo build --release --quiet -p standin-cli)
  fi
  bench_reexec_in_private_session "$HERE/access-review.sh" "${BENCH_STANDIN:-$ROOT/target/release/standin}"
fi

# ---- inside the private D-Bus session ----
cp "$2" "$BENCH_TMP/bin/standin"
STANDIN=$BENCH_TMP/bin/standin
USERS=${BENCH_USERS:-1000}
DOCS=${BENCH_DOCUMENTS:-5000}
TEAMS=${BENCH_TEAMS:-50}
LATENCY=${BENCH_LATENCY_MS:-20}

bench_unlock_keyring
bench_start_sandbox "$STANDIN" --generate "users=$USERS,teams=$TEAMS,documents=$DOCS" --latency-ms "$LATENCY"

requests_so_far() {
  python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]+"/sandbox/request-count"))["requests"])' "$SIGMA_BASE_URL"
}
now() { date +%s.%N; }
RESULTS=$BENCH_TMP/results.txt
: >"$RESULTS"
# record NAME SECONDS REQUESTS USERS CELLS
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

# One review run: its wall time (process start to exit), its requests, users done and cells.
review() {
  local name=$1 concurrency=$2 data_dir=$3 out=$BENCH_TMP/review-$1.json before t0 t1 after
  before=$(requests_so_far)
  t0=$(now)
  STANDIN_DATA_DIR=$data_dir "$STANDIN" access-review --all --concurrency "$concurrency" --json --out "$out" \
    2>"$BENCH_TMP/review-$name.err" || { echo "access-review bench: $name failed:" >&2; cat "$BENCH_TMP/review-$name.err" >&2; exit 1; }
  t1=$(now)
  after=$(requests_so_far)
  read -r done cells < <(python3 -c '
import json,sys
r = json.load(open(sys.argv[1]))
done = [u for u in r["users"] if u["outcome"]["status"] == "done"]
print(len(done), sum(len(u["access"]) for u in done))' "$out")
  record "$name" "$(python3 -c "print(round($t1 - $t0, 3))")" "$((after - before - 1))" "$done" "$cells"
}

echo "access-review bench: $USERS users × $DOCS documents, $LATENCY ms a request; load average $(cut -d' ' -f1-3 /proc/loadavg)"
before=$(requests_so_far)
t0=$(now)
loop_json=$(python3 "$HERE/access-review-loop.py")
t1=$(now)
after=$(requests_so_far)
read -r loop_users loop_cells < <(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["users"], r["cells"])' "$loop_json")
record loop "$(python3 -c "print(round($t1 - $t0, 3))")" "$((after - before - 1))" "$loop_users" "$loop_cells"
review c1 1 "$STANDIN_DATA_DIR"
review c8 8 "$STANDIN_DATA_DIR"
mkdir -p /dev/shm/standin-review-bench.$$ && trap 'rm -rf /dev/shm/standin-review-bench.$$; bench_cleanup' EXIT
# The audit key is in the keyring, not the data dir: a fresh log on tmpfs verifies like any other.
review c8-tmpfs-audit 8 /dev/shm/standin-review-bench.$$

python3 - "$RESULTS" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
base = float(rows[0][1])
loop_users, loop_cells = rows[0][3], rows[0][4]
print(f"{'run':<16}{'seconds':>10}{'requests':>10}{'users':>8}{'cells':>10}{'× loop':>10}")
for name, secs, reqs, users, cells in rows:
    print(f"{name:<16}{float(secs):>10.2f}{int(reqs):>10}{users:>8}{cells:>10}{base / float(secs):>10.1f}")
bad = [r[0] for r in rows[1:] if (r[3], r[4]) != (loop_users, loop_cells)]
if bad:
    sys.exit(f"access-review bench: {bad} did not cover the same users and cells as the loop")
EOF
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%dT%H:%MZ)"
