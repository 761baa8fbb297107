#!/usr/bin/env bash
# kill -9 of pillboxd at a chosen moment of an audit archive, then a restart, a second archive,
# and a check that nothing was lost or archived inconsistently (docs/audit-archive.md).
#
#   Benchmarks/perf/archivekill.sh BIN ENTRIES DELAY...
#
# BIN: the folder with release pillboxd, pillbox and pillbox-bench. For each DELAY (seconds
# after the archive's partial file appears), `pillbox-bench archive` seeds ENTRIES entries and
# starts the archive; the daemon is killed with SIGKILL DELAY s later. Then: a daemon on the
# same folder, `pillbox audit verify`, `pillbox audit archive --yes` again, and a check that
# the archive files and the store together hold every entry 1..N once, linked, with every
# file passing `pillbox audit verify --archive`.
set -uo pipefail
BIN=${1:?BIN}; ENTRIES=${2:?ENTRIES}; shift 2
W=/tmp/archkill
today=$(date +%F)
fail=0
for delay in "$@"; do
    rm -rf "$W"
    "$BIN/pillbox-bench" archive --folder "$W" --entries "$ENTRIES" --records 10 --readers 1 --baseline-seconds 1 \
        >"$W.bench.log" 2>&1 &
    bench=$!
    until ls "$W"/archive/.pillbox-audit-*.partial >/dev/null 2>&1; do sleep 0.05; done
    sleep "$delay"
    pkill -KILL -f "pillboxd --data-dir $W/data"
    wait "$bench"
    stage=$(ls -A "$W/archive" | tr '\n' ' ')
    removed=$(sqlite3 "file:$W/data/pillbox.sqlite" "SELECT COALESCE((SELECT seq FROM audit_anchor), 0)")
    "$BIN/pillboxd" --data-dir "$W/data" --socket "$W/s" --key-file "$W/master.key" --config "$W/pillbox.json" \
        --log-level error >"$W.daemon.log" 2>&1 &
    daemon=$!
    until [ -S "$W/s" ]; do sleep 0.05; done
    "$BIN/pillbox" audit verify --socket "$W/s" >/dev/null; v1=$?
    "$BIN/pillbox" audit archive --before "$today" --to "$W/archive" --yes --socket "$W/s" >"$W.again.log" 2>&1; again=$?
    "$BIN/pillbox" audit verify --socket "$W/s" >/dev/null; v2=$?
    files=0; filefail=0
    for f in "$W"/archive/pillbox-audit-*.jsonl; do
        files=$((files + 1))
        "$BIN/pillbox" audit verify --archive "$f" --socket "$W/s" >/dev/null || filefail=$((filefail + 1))
    done
    kill "$daemon"; wait "$daemon"
    coverage=$(python3 - "$W" "$ENTRIES" <<'EOF'
import glob, json, sqlite3, sys
folder, entries = sys.argv[1], int(sys.argv[2])
hashes = {}
for path in glob.glob(folder + "/archive/pillbox-audit-*.jsonl"):
    lines = open(path).read().splitlines()
    for line in lines[1:-1]:
        e = json.loads(line)
        if hashes.setdefault(e["seq"], e["hash"]) != e["hash"]:
            print(f"seq {e['seq']} differs between files"); sys.exit(1)
db = sqlite3.connect(f"file:{folder}/data/pillbox.sqlite?mode=ro", uri=True)
anchor = db.execute("SELECT seq, hex(hash) FROM audit_anchor").fetchone()
first = db.execute("SELECT MIN(seq), lower(hex(prev_hash)) FROM audit").fetchone()
archived = sorted(hashes)
if archived != list(range(1, entries + 1)):
    print(f"archived {len(archived)} of {entries}, first {archived[:1]}, last {archived[-1:]}"); sys.exit(1)
if anchor is None or anchor[0] != entries or anchor[1].lower() != hashes[entries]:
    print(f"anchor {anchor} is not entry {entries}"); sys.exit(1)
if first[0] is not None and (first[0] != entries + 1 or first[1] != hashes[entries]):
    print(f"the store starts at {first[0]}, not linked to entry {entries}"); sys.exit(1)
print(f"entries 1..{entries} archived once each (in {len(glob.glob(folder + '/archive/*.jsonl'))} files), the store goes on at {first[0]} linked")
EOF
    ); cov=$?
    echo "kill at +${delay}s: left [$stage] anchor=$removed; restart verify=$v1, archive again=$again, verify=$v2, files=$files (failing $filefail); $coverage"
    [ "$v1$again$v2$filefail$cov" = "00000" ] || fail=$((fail + 1))
done
echo "failed: $fail"
[ "$fail" = 0 ]
