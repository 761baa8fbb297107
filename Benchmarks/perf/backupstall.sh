#!/bin/bash
# backupstall.sh STORE BIN TASKS_ON_EVENT_LOOPS SECS: the release daemon BIN/pillboxd on a copy of
# STORE (a folder `pillbox-bench all` seeded: data/, master.key) takes a backup through the API
# (POST /v1/backups) while 4 keep-alive clients ask GET /v1/health for SECS seconds; prints how
# long the backup took, the clients' latencies (max: the longest a connection waited), and the
# write-ahead log's size before, at most during the backup (sampled every 0.2 s) and at the end.
# TASKS_ON_EVENT_LOOPS: true, false, or none (leave the setting out, for builds before it).
# docs/performance.md, "tasks on the event loops".
set -e
STORE=$1 BIN=$2 TEL=$3 SECS=${4:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/backupstall.XXXXXX)
gcc -O2 -o "$WORK/uclient" "$HERE/uclient.c" -lpthread
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cp -a "$STORE" "$WORK/store"
mkdir "$WORK/bk"
SETTING=""; [ "$TEL" = none ] || SETTING="\"tasksOnEventLoops\":$TEL,"
cat > "$WORK/pillbox.json" <<J
{$SETTING"backup":{"folders":["$WORK/bk"]},"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:9/fhir","startJitterSeconds":0}}
J
"$BIN/pillboxd" --data-dir "$WORK/store/data" --socket "$WORK/s" --key-file "$WORK/store/master.key" \
  --config "$WORK/pillbox.json" --log-level error 2>"$WORK/d.log" &
PID=$!
for _ in $(seq 1 600); do [ -S "$WORK/s" ] && break; sleep 0.05; done
sleep 1
"$WORK/uclient" "$WORK/s" GET /v1/health - "$SECS" 4 > "$WORK/client.txt" &
CLIENT=$!
sleep 1
WAL="$WORK/store/data/pillbox.sqlite-wal"
walsize() { stat -c %s "$WAL" 2>/dev/null || echo 0; }
WAL0=$(walsize)
( peak=0; while :; do w=$(walsize); [ "$w" -gt "$peak" ] && peak=$w && echo "$peak" > "$WORK/walpeak"; sleep 0.2; done ) &
SAMPLER=$!
T0=$(date +%s.%N)
CODE=$(curl -s --unix-socket "$WORK/s" -X POST -H 'content-type: application/json' \
  -d "{\"destination\":\"$WORK/bk\"}" http://x/v1/backups -o "$WORK/backup.json" -w "%{http_code}")
T1=$(date +%s.%N)
kill $SAMPLER
wait $CLIENT
echo "backup: HTTP $CODE in $(python3 -c "print(round($T1 - $T0, 1))") s (tasksOnEventLoops=$TEL, $BIN)"
cat "$WORK/client.txt"
mib() { python3 -c "print(f'{$1 / 1048576:.1f} MiB')"; }
echo "write-ahead log: $(mib "$WAL0") before the backup, at most $(mib "$(cat "$WORK/walpeak" 2>/dev/null || echo 0)") during it, $(mib "$(walsize)") at the end"
