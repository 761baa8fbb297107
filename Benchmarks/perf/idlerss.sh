#!/bin/bash
# idlerss.sh BIN_DIR STORE [ENV=VALUE...]: starts BIN_DIR/pillboxd on STORE (a folder
# `pillbox-bench all --store` seeded: data/, master.key; used in place, not copied) with a
# central record that answers 503 at once (fakecentral.py), as `pillbox-bench all` has it, and
# prints VmRSS, RssAnon, RssFile, the thread count and glibc's thread arenas 2.5 s after the
# socket appeared. ENV=VALUE pairs go to the daemon's environment (e.g. MALLOC_ARENA_MAX=1).
# COLD=1 drops the page cache first (as after a boot; needs root). WAIT=S changes the 2.5 s.
# docs/performance.md, "one malloc arena".
set -e
BIN=$1 STORE=$2; shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/idlerss.XXXXXX)
PORT=${PORT:-38111}
python3 "$HERE/fakecentral.py" "$PORT" & FC=$!
trap 'kill $PID $FC 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
cat > "$WORK/pillbox.json" <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:$PORT/fhir","startJitterSeconds":0}}
J
if [ -n "$COLD" ]; then sync; echo 1 > /proc/sys/vm/drop_caches; fi
sleep 0.3
env "$@" "$BIN/pillboxd" --data-dir "$STORE/data" --socket "$WORK/s" --key-file "$STORE/master.key" \
  --config "$WORK/pillbox.json" --log-level error 2>"$WORK/log" &
PID=$!
while [ ! -S "$WORK/s" ]; do kill -0 $PID 2>/dev/null || { tail -5 "$WORK/log" >&2; exit 1; }; sleep 0.05; done
sleep "${WAIT:-2.5}"
# glibc's arenas beyond the main one: anonymous read-write mappings at a 64 MiB boundary that,
# with the reserve after them, span 64 MiB (the same rule as MallocArenaTests).
arenas=$(python3 - $PID <<'P'
import sys
rows = []
for line in open(f"/proc/{sys.argv[1]}/maps"):
    f = line.split(); a, b = (int(x, 16) for x in f[0].split('-'))
    rows.append((a, b, f[1], len(f) > 5))
n = 0
for i, (a, b, perm, named) in enumerate(rows):
    if named or perm != 'rw-p' or a % (64 << 20): continue
    end = b
    if i + 1 < len(rows) and rows[i + 1][0] == b and rows[i + 1][2] == '---p' and not rows[i + 1][3]: end = rows[i + 1][1]
    n += end - a == 64 << 20
print(n)
P
)
echo "$(grep -E "VmRSS|RssAnon|RssFile" /proc/$PID/status | tr -s ' \t\n' ' ')threads $(find /proc/$PID/task -mindepth 1 -maxdepth 1 | wc -l) arenas $arenas"
