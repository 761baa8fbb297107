#!/usr/bin/env bash
# `pillbox audit verify --archive` on one archive file, with each build's daemon in turn on the
# same data folder: wall time and the daemon's CPU (docs/audit-archive.md, "Measured").
#
#   Benchmarks/perf/archiveverifyab.sh FOLDER BINS...
#
# FOLDER: what `pillbox-bench archive --folder FOLDER` left (data/, master.key, archive/ with
# one pillbox-audit-*.jsonl); copy it first, the config file is rewritten. Each BIN is a folder
# with release pillboxd and pillbox; builds are run in the order given.
set -uo pipefail
F=${1:?FOLDER}; shift
file=$(ls "$F"/archive/pillbox-audit-*.jsonl | head -1)
echo "{\"backup\":{\"folders\":[\"$F/archive\"]}}" > "$F/pillbox.json"
for bin in "$@"; do
    "$bin/pillboxd" --data-dir "$F/data" --socket "$F/s" --key-file "$F/master.key" --config "$F/pillbox.json" \
        --log-level error >"$F.daemon.log" 2>&1 &
    daemon=$!
    until [ -S "$F/s" ] && "$bin/pillbox" status --socket "$F/s" >/dev/null 2>&1; do sleep 0.1; done
    cpu0=$(awk '{print $14 + $15}' /proc/$daemon/stat)
    start=$(date +%s.%N)
    "$bin/pillbox" audit verify --archive "$file" --socket "$F/s" >"$F.verify.out" 2>&1; rc=$?
    end=$(date +%s.%N)
    cpu1=$(awk '{print $14 + $15}' /proc/$daemon/stat)
    printf "%s exit %d: %.2f s wall, daemon CPU %.2f s, load %s\n" "$bin" "$rc" "$(echo "$end - $start" | bc)" \
        "$(echo "($cpu1 - $cpu0) / 100" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
    kill "$daemon"; wait "$daemon"
done
