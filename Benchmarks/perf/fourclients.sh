#!/bin/bash
# fourclients.sh STORE BIN...: for each build in turn, 4 keep-alive clients ask the profile of
# the bench's patient for 5 s (one daemon at a time, on a fresh copy of STORE, a fake central
# record answering 503); prints requests/s, p50, p99 and the daemon's CPU ticks.
# docs/performance.md, "each connection's tasks on its event loop".
set -e
STORE=$1; shift
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/fourclients.XXXXXX)
gcc -O2 -o "$WORK/uclient" "$HERE/uclient.c" -lpthread
python3 "$HERE/fakecentral.py" 18996 & FC=$!
trap 'kill $FC 2>/dev/null; rm -rf "$WORK"' EXIT
P=/v1/patients/BNCH00000001/medications
for BIN in "$@"; do
  rm -rf "$WORK/s" && cp -a "$STORE" "$WORK/s"
  echo '{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:18996/fhir","startJitterSeconds":0}}' > "$WORK/s/c.json"
  "$BIN/pillboxd" --data-dir "$WORK/s/data" --socket "$WORK/s/sock" --key-file "$WORK/s/master.key" --config "$WORK/s/c.json" \
    --log-level error 2>"$WORK/log" & PID=$!
  for i in $(seq 1 600); do [ -S "$WORK/s/sock" ] && break; sleep 0.05; done
  "$WORK/uclient" "$WORK/s/sock" GET $P - 1 4 >/dev/null
  C0=$(awk '{print $14+$15}' /proc/$PID/stat)
  out=$("$WORK/uclient" "$WORK/s/sock" GET $P - 5 4)
  C1=$(awk '{print $14+$15}' /proc/$PID/stat)
  echo "$BIN: $out daemon_ticks=$((C1 - C0))"
  kill $PID; wait $PID 2>/dev/null || true
done
