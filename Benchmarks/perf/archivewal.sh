#!/usr/bin/env bash
# The write-ahead log's size through an audit archive, to see in which step it grows
# (docs/audit-archive.md, "Measured").
#
#   Benchmarks/perf/archivewal.sh BIN [ENTRIES]
#
# BIN: a folder with release pillboxd and pillbox-bench. Runs `pillbox-bench archive` on
# /tmp/archbench and prints, every 0.5 s, the log's size and whether the archive's partial
# file or its final file is in the archive folder; then the bench's own figures.
set -uo pipefail
BIN=${1:?BIN}; ENTRIES=${2:-1000000}
W=/tmp/archbench
"$BIN/pillbox-bench" archive --folder "$W" --entries "$ENTRIES" >"$W.out" 2>&1 &
bench=$!
while kill -0 "$bench" 2>/dev/null; do
    wal=$(stat -c %s "$W/data/pillbox.sqlite-wal" 2>/dev/null || echo -)
    partial=$(ls -A "$W/archive" 2>/dev/null | grep -c '\.partial$')
    final=$(ls "$W/archive" 2>/dev/null | grep -c '\.jsonl$')
    echo "$(date -u +%T.%N | cut -c1-12) wal=$wal partial=$partial final=$final"
    sleep 0.5
done
wait "$bench"
cat "$W.out"
