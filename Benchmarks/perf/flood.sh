#!/usr/bin/env bash
# A program in a loop on the socket, as a user other than root (uid 65534): how many requests
# it gets served, and how much the store grows. The case the rate limit is for
# (docs/configuration.md, "Requests per caller").
#   Benchmarks/perf/flood.sh BIN [SECONDS] [PATH] [DEPTH]    BIN: a folder holding pillboxd
# STEADY=1 also runs steady.py as root beside it (a well-behaved client: /v1/health every
# 5 ms on one connection) and, first, the same client alone for the same time.
set -euo pipefail
BIN=$1; SECONDS_=${2:-20}; ROUTE=${3:-/v1/nothing-here}; DEPTH=${4:-16}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/flood.XXXXXX); chmod 755 "$WORK"
trap 'kill $PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/master.key"; chmod 600 "$WORK/master.key"
echo '{"socketMode": "0666"}' > "$WORK/pillbox.json"
"$BIN/pillboxd" --data-dir "$WORK/data" --socket "$WORK/s" --key-file "$WORK/master.key" \
  --config "$WORK/pillbox.json" --log-level error 2>"$WORK/d.log" & PID=$!
for _ in $(seq 100); do [ -S "$WORK/s" ] && break; sleep 0.1; done
chmod 755 "$WORK/data"
if [ "${STEADY:-0}" = 1 ]; then
  echo "$BIN: steady client alone: $(python3 "$HERE/steady.py" "$WORK/s" "$SECONDS_" /v1/health 5)"
  python3 "$HERE/steady.py" "$WORK/s" "$SECONDS_" /v1/health 5 > "$WORK/steady.out" & STEADY_PID=$!
fi
before=$(du -sb "$WORK/data" | cut -f1)
answered=$(setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 "$HERE/flood.py" "$WORK/s" "$SECONDS_" "$ROUTE" "$DEPTH")
sleep 0.5  # one audit flush
after=$(du -sb "$WORK/data" | cut -f1)
entries=$(sqlite3 "file:$WORK/data/pillbox.sqlite?mode=ro" "SELECT COUNT(*) FROM audit WHERE uid = 65534")
if [ "${STEADY:-0}" = 1 ]; then wait $STEADY_PID; echo "$BIN: steady client beside the flood: $(cat "$WORK/steady.out")"; fi
echo "$BIN: $SECONDS_ s, answered $answered; audit entries of uid 65534: $entries; data folder +$(( (after - before) / 1024 )) KiB"
