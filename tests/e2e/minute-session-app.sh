#!/bin/sh
# The release app with sessions capped at 55 s, so a session is in its last minute from the start: the banner
# offers Extend at once (the daily-use spec extends one).
HERE=$(cd "$(dirname "$0")" && pwd)
export STANDIN_SESSION_CAP_SECONDS=55
exec "${E2E_APP:-$HERE/../../target/release/stand-in}" "$@"
