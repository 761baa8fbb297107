#!/bin/bash
# envab.sh STORE BIN SECS METHOD PATH BODY CLIENTS -- ENV...: one build, environment settings in turn
# (e.g. X=1 MALLOC_ARENA_MAX=8 X=1 MALLOC_ARENA_MAX=8), each on a fresh copy of STORE: daemon CPU and
# minor page faults per request (/proc), the client's p50 and p99, VmRSS after the run.
# docs/performance.md, "intake: the date-time parsed by arithmetic", "Measured, not kept".
STORE=$1; BIN=$2; S=$3; M=$4; P=$5; B=$6; C=$7; shift 8
HERE=$(cd "$(dirname "$0")" && pwd)
set -e
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/envab.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
intake_client "$WORK"
for E in "$@"; do
  rm -rf $WORK/s && cp -a "$STORE" $WORK/s && rm -f $WORK/s/sock
  env $E "$BIN/pillboxd" --data-dir $WORK/s/data --socket $WORK/s/sock --key-file $WORK/s/master.key --log-level error 2>/dev/null &
  PID=$!
  while [ ! -S $WORK/s/sock ]; do sleep 0.01; done
  "$WORK/uclient" $WORK/s/sock $M $P $B 1 $C >/dev/null
  C0=$(ticks $PID); F0=$(awk '{print $10}' /proc/$PID/stat)
  out=$("$WORK/uclient" $WORK/s/sock $M $P $B $S $C)
  C1=$(ticks $PID); F1=$(awk '{print $10}' /proc/$PID/stat)
  rss=$(awk '/VmRSS/{print $2}' /proc/$PID/status)
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
  p99=$(sed 's/.*p99=\([0-9.]*ms\).*/\1/' <<<"$out"); p50=$(sed 's/.*p50=\([0-9.]*ms\).*/\1/' <<<"$out")
  echo "$E: $(awk -v a=$C0 -v b=$C1 -v n=$n 'BEGIN{printf "%.0f", (b-a)*10000/n}') µs/req, minor faults/req $(awk -v a=$F0 -v b=$F1 -v n=$n 'BEGIN{printf "%.1f", (b-a)/n}'), n=$n p50=$p50 p99=$p99 RSS ${rss} kB"
  kill $PID; wait $PID 2>/dev/null || true
done
