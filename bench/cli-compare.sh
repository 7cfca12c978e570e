#!/usr/bin/env bash
# BENCHMARKS.md §2: the admin's datasets against a user's, three ways, against one sandbox server on loopback,
# timed by hyperfine in the same run (warm-up, then BENCH_RUNS runs of each, mean ± σ, ratios):
#
#   sigma-python  Sigma's own example client (../shared/sigma_example_client.py), unmodified but for its four
#                 placeholders, filled by text substitution as src-tauri/sandbox/tests/python_example.rs does;
#   standin       the release CLI: `standin as EMAIL compare --type dataset` (with its audit log, in a private
#                 keyring, as a user runs it);
#   floor         bench/floor: the same job's six requests over one keep-alive connection, nothing else.
#
#   bench/cli-compare.sh            (make bench runs it)
#
# Needs: hyperfine, dbus-run-session and gnome-keyring-daemon (make bench / make setup install them), python3
# with PyJWT and requests (make setup), and cargo. Environment: BENCH_RUNS (default 30), BENCH_WARMUP (default 3),
# BENCH_OUT (default target/bench) for hyperfine's JSON and Markdown, BENCH_BASELINE=PATH to time another
# standin binary (an older build, say) in the same run as "standin-baseline", BENCH_NO_BUILD=1 to time the
# binaries already in target/release as they are.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
EMAIL=tom.lee@acme.example

if [ "${1:-}" != "--inside" ]; then
  missing=()
  for tool in hyperfine dbus-run-session gnome-keyring-daemon python3 cargo; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "cli-compare: missing ${missing[*]} (make bench installs hyperfine; make setup the rest)" >&2
    exit 1
  fi
  python3 -c 'import jwt, requests' 2>/dev/null \
    || { echo "cli-compare: python3 lacks PyJWT or requests (make setup installs them)" >&2; exit 1; }
  SCRIPT_SRC=$ROOT/../shared/sigma_example_client.py
  [ -f "$SCRIPT_SRC" ] || { echo "cli-compare: Sigma's example client is expected at $SCRIPT_SRC" >&2; exit 1; }
  # Release builds of what is measured (the CLI as `make app` builds it; the floor beside it).
  if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
    (cd "$ROOT" && nice cargo build --release --quiet -p standin-cli -p standin-bench-floor)
  fi

  export SCRIPT_SRC
  # A private D-Bus session and keyring: the audit log's MAC key lives there, as on a desktop. Copies of the
  # binaries: another cargo run in the same tree must not swap one out halfway through the runs.
  bench_reexec_in_private_session "$HERE/cli-compare.sh" \
    "$ROOT/target/release/standin" "$ROOT/target/release/bench-floor"
fi

# ---- inside the private D-Bus session ----
shift
cp "$@" "$BENCH_TMP/bin/"
STANDIN=$BENCH_TMP/bin/standin
FLOOR=$BENCH_TMP/bin/bench-floor
OUT=${BENCH_OUT:-$ROOT/target/bench}
RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-3}
mkdir -p "$OUT"

bench_unlock_keyring
bench_start_sandbox "$STANDIN"

# Sigma's script with its four placeholders filled, each of which must be there exactly once.
python3 - "$SCRIPT_SRC" "$BENCH_TMP/sigma_example_client.py" "$SIGMA_CLIENT_ID" "$SIGMA_CLIENT_SECRET" \
  "$SIGMA_BASE_URL" "$EMAIL" <<'EOF'
import sys
src, dst, cid, secret, url, email = sys.argv[1:]
text = open(src).read()
for old, new in [('client_id=""', f'client_id="{cid}"'), ('client_secret=""', f'client_secret="{secret}"'),
                 ('url = ""', f'url = "{url}"'),
                 ('"<email address of user to impersonate>"', f'"{email}"')]:
    assert text.count(old) == 1, f"placeholder {old!r} should appear exactly once"
    text = text.replace(old, new, 1)
open(dst, "w").write(text)
EOF

# Each does the whole job before it is timed: a benchmark of a failing command means nothing. The Python
# script catches its own errors and exits 0, so its output is read.
py_out=$(python3 "$BENCH_TMP/sigma_example_client.py" 2>&1)
if grep -q -e "Script failed" -e "Error" <<<"$py_out" || ! grep -q "7. Listing" <<<"$py_out"; then
  echo "cli-compare: Sigma's example client failed against the sandbox:" >&2
  echo "$py_out" >&2
  exit 1
fi
cli_out=$("$STANDIN" as "$EMAIL" compare --type dataset 2>&1) \
  || { echo "cli-compare: standin failed: $cli_out" >&2; exit 1; }
floor_out=$("$FLOOR" "$EMAIL" 2>&1) || { echo "cli-compare: the floor failed: $floor_out" >&2; exit 1; }
# The CLI and the floor must agree on the comparison (its summary line, "N only you, … the same").
cli_summary=$(grep -o '[0-9]* only you.*the same' <<<"$cli_out")
[ "$cli_summary" = "$floor_out" ] \
  || { echo "cli-compare: standin says '$cli_summary', the floor '$floor_out'" >&2; exit 1; }
echo "cli-compare: all three did the job ($floor_out); load average $(cut -d' ' -f1-3 /proc/loadavg)"

baseline=()
if [ -n "${BENCH_BASELINE:-}" ]; then
  "$BENCH_BASELINE" as "$EMAIL" compare --type dataset >/dev/null 2>&1 \
    || { echo "cli-compare: the baseline $BENCH_BASELINE failed" >&2; exit 1; }
  baseline=(--command-name standin-baseline "$BENCH_BASELINE as $EMAIL compare --type dataset")
fi

# The kernel-keyring cache off (every run asks the Secret Service, as the first run of a terminal session does;
# through env(1), which adds its own exec): for the record, not a budget.
hyperfine --shell=none --warmup "$WARMUP" --runs "$RUNS" \
  --export-json "$OUT/cli-compare.json" --export-markdown "$OUT/cli-compare.md" \
  --command-name sigma-python "python3 $BENCH_TMP/sigma_example_client.py" \
  --command-name standin "$STANDIN as $EMAIL compare --type dataset" \
  --command-name floor "$FLOOR $EMAIL" \
  --command-name standin-no-key-cache "env STANDIN_KEYRING_CACHE_SECS=0 $STANDIN as $EMAIL compare --type dataset" \
  "${baseline[@]}"

# Mean ± σ of each and the two ratios the budgets are about.
python3 - "$OUT/cli-compare.json" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for name, r in results.items():
    print(f"{name:>13}: {r['mean'] * 1000:8.1f} ms ± {r['stddev'] * 1000:5.1f} ms  (min {r['min'] * 1000:.1f}, median {r['median'] * 1000:.1f})")
py, cli, floor = (results[n]["mean"] for n in ("sigma-python", "standin", "floor"))
print(f"standin is {py / cli:.1f}x faster than Sigma's script (budget: at least 30x)")
print(f"standin takes {cli / floor:.2f}x the floor's time (budget: at most 2x)")
if "standin-no-key-cache" in results:
    nc = results["standin-no-key-cache"]["mean"]
    print(f"without the kernel-keyring cache (a Secret Service round trip per run): {nc / floor:.2f}x the floor, {py / nc:.1f}x faster than Sigma's script")
if "standin-baseline" in results:
    base = results["standin-baseline"]["mean"]
    print(f"the baseline takes {base / cli:.2f}x standin's time ({py / base:.1f}x faster than Sigma's script, {base / floor:.2f}x the floor)")
EOF
echo "cli-compare: load average after $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT/cli-compare.{json,md}"
