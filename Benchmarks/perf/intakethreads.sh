#!/bin/bash
# intakethreads.sh STORE BIN...: where the daemon's CPU goes by thread under intake. 16 clients post
# distinct dispenses for 6 s to each build's pillboxd in turn (BIN/pillboxd, on a fresh copy of
# STORE, as intakeab.sh); prints each thread's CPU (utime+stime from /proc/PID/task) as a share of
# one core, and the records a second. The writer is GRDB's dispatch queue ("-qos.overcommit"),
# the event loops "NIO-SGLTN-…". docs/performance.md, "what did not make intake cheaper".
set -e
STORE=$1; shift
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/intakethreads.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
intake_client "$WORK"
snapshot() { for t in /proc/$PID/task/*; do echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done | sort; }
for BIN in "$@"; do
  start_copy "$STORE" "$BIN" "$WORK/s" http://127.0.0.1:9/fhir
  "$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 1 16 >/dev/null
  snapshot >"$WORK/before"
  out=$("$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 6 16)
  snapshot >"$WORK/after"
  echo "$BIN: $(grep -o 'rate=[^ ]*' <<<"$out")"
  join "$WORK/before" "$WORK/after" | awk '{ d = $5 - $3; if (d > 0) printf "  %-28s %5.1f%% of a core\n", $2, d / 6 }' | sort -k2 -rn
  stop_copy
done
