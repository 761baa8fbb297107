#!/bin/bash
# intakeab.sh STORE BIN...: 16 clients post distinct dispenses for 4 s to each build's pillboxd in
# turn (BIN/pillboxd), each on a fresh copy of STORE (a folder `pillbox-bench all --store` seeded:
# data/, master.key), the central record a closed port; prints the daemon's CPU per record
# (utime+stime from /proc) and the client's line. List builds alternated (A B A B ...) and
# compare the pairs. docs/performance.md, "`/v1/status` at any upload backlog".
set -e
STORE=$1; shift
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/intakeab.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
intake_client "$WORK"
for BIN in "$@"; do
  start_copy "$STORE" "$BIN" "$WORK/s" http://127.0.0.1:9/fhir
  "$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 1 16 >/dev/null
  C0=$(ticks $PID)
  out=$("$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 4 16)
  C1=$(ticks $PID)
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
  echo "$BIN: $(awk -v a=$C0 -v b=$C1 -v n=$n 'BEGIN{printf "%.0f", (b-a)*10000/n}') µs/record; $out"
  stop_copy
done
