#!/bin/bash
# statusbacklog.sh STORE BIN...: for each build in turn, a fresh copy of STORE (a folder
# `pillbox-bench all --store` seeded; its versions all pending), the time from start until the
# socket appears (an upgrade of the copy included), then 20 GET /v1/status; prints the daemon's
# CPU and the wall time per status call and what the status answered.
# docs/performance.md, "`/v1/status` at any upload backlog".
set -e
STORE=$1; shift
. "$(cd "$(dirname "$0")" && pwd)/copyrun.sh"
WORK=$(mktemp -d /tmp/statusbacklog.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for BIN in "$@"; do
  T0=$(date +%s.%N)
  start_copy "$STORE" "$BIN" "$WORK/s"
  T1=$(date +%s.%N)
  sleep 1
  curl -s --unix-socket "$WORK/s/sock" http://x/v1/status > "$WORK/status.json"
  C0=$(ticks $PID); W0=$(date +%s.%N)
  for i in $(seq 1 20); do curl -s --unix-socket "$WORK/s/sock" http://x/v1/status > /dev/null; done
  W1=$(date +%s.%N); C1=$(ticks $PID)
  python3 - "$BIN" "$T0" "$T1" "$C0" "$C1" "$W0" "$W1" "$WORK/status.json" <<'P'
import json, sys
b, t0, t1, c0, c1, w0, w1, path = sys.argv[1], *map(float, sys.argv[2:8]), sys.argv[8]
d = json.load(open(path))
print(f"{b}: socket after {t1 - t0:.2f} s; status {(c1 - c0) * 10 / 20:.1f} ms CPU, {(w1 - w0) * 1000 / 20:.1f} ms wall per call; "
      f"records {d.get('records')}, pending {d.get('pendingUploads')}, dead letters {d.get('deadLetters')}, "
      f"oldest pending age {d.get('oldestPendingAgeSeconds')} s")
P
  stop_copy
done
