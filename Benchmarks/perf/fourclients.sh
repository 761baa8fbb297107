#!/bin/bash
# fourclients.sh STORE BIN...: for each build in turn, 4 keep-alive clients ask the profile of
# the bench's patient for 5 s (one daemon at a time, on a fresh copy of STORE, a fake central
# record answering 503); prints requests/s, p50, p99 and the daemon's CPU ticks.
# docs/performance.md, "each connection's tasks on its event loop".
set -e
STORE=$1; shift
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/fourclients.XXXXXX)
gcc -O2 -o "$WORK/uclient" "$HERE/uclient.c" -lpthread
python3 "$HERE/fakecentral.py" 18996 & FC=$!
trap 'kill $FC 2>/dev/null; rm -rf "$WORK"' EXIT
P=/v1/patients/BNCH00000001/medications
for BIN in "$@"; do
  start_copy "$STORE" "$BIN" "$WORK/s" http://127.0.0.1:18996/fhir
  "$WORK/uclient" "$WORK/s/sock" GET $P - 1 4 >/dev/null
  C0=$(ticks $PID)
  out=$("$WORK/uclient" "$WORK/s/sock" GET $P - 5 4)
  C1=$(ticks $PID)
  echo "$BIN: $out daemon_ticks=$((C1 - C0))"
  stop_copy
done
