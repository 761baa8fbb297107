#!/bin/bash
# intakeio.sh STORE THREADS BIN...: file I/O per recorded dispense. THREADS clients post distinct
# dispenses for 3 s to each build's pillboxd in turn (BIN/pillboxd), each on a fresh copy of
# STORE (as intakeab.sh), while `strace -f -c` counts its pwrite64, pread64 and fdatasync calls;
# prints each count divided by the records written. strace slows the daemon several times, so
# read only the counts (pages written to the WAL and the database, pages read back), never the
# rate. BYFILE=1 counts them per descriptor instead (each connection opens the database and its
# WAL: the writer's WAL writes are its commits, its database writes the checkpoints). docs/performance.md,
# "time-ordered record ids" and "what did not make intake cheaper".
set -e
STORE=$1 THREADS=$2; shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/intakeio.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
intake_client "$WORK"
for BIN in "$@"; do
  start_copy "$STORE" "$BIN" "$WORK/s" http://127.0.0.1:9/fhir
  "$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 1 "$THREADS" >/dev/null
  if [ -n "$BYFILE" ]; then
    strace -f -qq -e trace=pwrite64,pread64,fdatasync -p $PID -o "$WORK/strace.txt" 2>/dev/null &
  else
    strace -f -c -e trace=pwrite64,pread64,fdatasync -p $PID -o "$WORK/strace.txt" 2>/dev/null &
  fi
  SP=$!
  sleep 0.5
  out=$("$WORK/uclient" "$WORK/s/sock" POST /v1/dispenses "$WORK/body.json" 3 "$THREADS")
  sleep 0.3
  kill -INT $SP; wait $SP || true
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
  if [ -n "$BYFILE" ]; then
    echo "$BIN: per record, $n records"
    for link in /proc/"$PID"/fd/*; do
      fd=${link##*/} file=$(readlink "$link")
      case "$file" in *.sqlite|*.sqlite-wal) ;; *) continue ;; esac
      calls=$(grep -oE "^[0-9]+ +(pwrite64|pread64|fdatasync)\(${fd}[,)]" "$WORK/strace.txt" | awk '{print $2}' | cut -d'(' -f1 | sort | uniq -c \
        | awk -v n="$n" '{printf "%s %.2f  ", $2, $1/n}')
      [ -n "$calls" ] && echo "  fd $fd $(basename "$file"): $calls"
    done
  else
    echo "$BIN: $(awk -v n=$n '$NF ~ /^(pwrite64|pread64|fdatasync)$/ {printf "%s %.1f  ", $NF, $(NF-1)/n} END {printf "per record, %d records", n}' "$WORK/strace.txt")"
  fi
  stop_copy
done
