#!/bin/bash
# intakecommits.sh STORE BIN...: commits and file calls per recorded dispense, counted by perf's
# syscall tracepoints (which, unlike strace, hardly slow the daemon, so the batches keep their size).
# 16 clients post distinct dispenses for 4 s to each build's pillboxd in turn (BIN/pillboxd, on a
# fresh copy of STORE, as intakeab.sh); prints records/s, p50, and fdatasync (one per group commit),
# pwrite64, pread64 and context switches per record. docs/performance.md, "intake: sealed before the writer".
set -e
STORE=$1; shift
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/intakecommits.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
intake_client "$WORK"
for BIN in "$@"; do
  start_copy "$STORE" "$BIN" "$WORK/s" http://127.0.0.1:9/fhir
  "$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 1 16 >/dev/null
  perf stat -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_pwrite64,syscalls:sys_enter_pread64,context-switches \
    -p $PID -o "$WORK/stat.txt" -- sleep 4.2 &
  SP=$!
  sleep 0.1
  out=$("$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 4 16)
  wait $SP
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
  echo "$BIN: $(grep -oE '(rate|p50)=[^ ]*' <<<"$out" | tr '\n' ' ')per record: $(awk -v n="$n" \
    '/sys_enter|context/ { gsub(",", "", $1); name = $2; sub(/.*sys_enter_/, "", name); printf "%s %.2f  ", name, $1 / n }' "$WORK/stat.txt")"
  stop_copy
done
