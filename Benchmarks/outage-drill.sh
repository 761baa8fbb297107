#!/usr/bin/env bash
# The outage drill, by hand: the central record goes down, a busy pharmacy keeps recording
# (4,500 dispenses by default) while pillboxd is killed (-9) and restarted, the central
# record comes back through 503s, and every record must arrive exactly once.
#
#   Benchmarks/outage-drill.sh [RECORDS]        (builds debug binaries first; needs curl, python3)
#
# Prints PASS or FAIL and the drain time. Everything lives in a temporary folder, removed at
# the end; ports are picked by the simulator (0 = free port).
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-4500}
swift build --product pillboxd >/dev/null 2>&1 && swift build --product pillbox-central-sim >/dev/null 2>&1
BIN=$(swift build --show-bin-path)
WORK=$(mktemp -d /tmp/pillbox-drill-XXXXXX)
SOCK="$WORK/pillbox.sock"
cleanup() { kill "${DAEMON:-}" "${CENTRAL:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

"$BIN/pillbox-central-sim" --data "$WORK/central.sqlite" --port 0 --admin-port 0 --log-level error > "$WORK/central.out" &
CENTRAL=$!
until grep -q READY "$WORK/central.out"; do sleep 0.1; done
FHIR=$(sed -n 's/.*fhir=\([0-9]*\).*/\1/p' "$WORK/central.out")
ADMIN=$(sed -n 's/.*admin=\([0-9]*\).*/\1/p' "$WORK/central.out")
mode() { curl -sf -X POST -H 'Content-Type: application/json' -d "$1" "http://127.0.0.1:$ADMIN/admin/mode" >/dev/null; }

umask 077
head -c 32 /dev/urandom > "$WORK/master.key"
cat > "$WORK/pillbox.json" <<JSON
{"central": {"url": "http://127.0.0.1:$FHIR/fhir", "pharmacySystem": "https://pharmacy.example/ids/drill",
             "pharmacyId": "drill", "startJitterSeconds": 0, "backoffInitialSeconds": 0.2, "backoffMaxSeconds": 2,
             "prefetch": {"recentDays": 0}}}
JSON
start_daemon() {
    "$BIN/pillboxd" --data-dir "$WORK/data" --socket "$SOCK" --key-file "$WORK/master.key" --config "$WORK/pillbox.json" \
        --log-level warning 2>> "$WORK/daemon.log" &
    DAEMON=$!
    until curl -sf --unix-socket "$SOCK" http://localhost/v1/health >/dev/null 2>&1; do sleep 0.1; done
}
record() {  # record FROM TO: dispenses DRILL-FROM .. DRILL-(TO-1), 8 at a time
    seq "$1" $(($2 - 1)) | xargs -P 8 -I{} sh -c "curl -sf --unix-socket '$SOCK' -H 'Content-Type: application/json' \
        -d '{\"pharmacyDispenseId\":\"DRILL-{}\",\"patient\":{\"nam\":\"DRIL00000042\"},\"medication\":{\"din\":\"02242903\",\"display\":\"Metformin 500 mg tablet\"}}' \
        http://localhost/v1/dispenses >/dev/null || echo 'recording DRILL-{} failed' >&2"
}
status() { curl -sf --unix-socket "$SOCK" http://localhost/v1/status; }

start_daemon
mode '{"mode":"down"}'
echo "central record down; recording $RECORDS dispenses with two restarts (one kill -9)"
THIRD=$((RECORDS / 3))
record 0 "$THIRD"
kill -9 "$DAEMON"; wait "$DAEMON" 2>/dev/null || true
start_daemon
record "$THIRD" $((2 * THIRD))
kill "$DAEMON"; wait "$DAEMON" 2>/dev/null || true
start_daemon
record $((2 * THIRD)) "$RECORDS"
echo "pending while down: $(status | json 'd["pendingUploads"]')"
mode '{"mode":"503","retryAfterSeconds":1}'
sleep 2
mode '{"mode":"up"}'
START=$(date +%s.%N)
until [ "$(status | json 'd["pendingUploads"]')" = "0" ]; do sleep 0.2; done
END=$(date +%s.%N)
STATS=$(curl -sf "http://127.0.0.1:$ADMIN/admin/stats")
RESOURCES=$(echo "$STATS" | json 'd["resources"]')
CREATED=$(echo "$STATS" | json 'd["entriesCreated"]')
DEAD=$(status | json 'd["deadLetters"]')
printf 'drained in %.1f s; central holds %s resources (%s created), dead letters %s\n' \
    "$(python3 -c "print($END - $START)")" "$RESOURCES" "$CREATED" "$DEAD"
if [ "$RESOURCES" = "$RECORDS" ] && [ "$CREATED" = "$RECORDS" ] && [ "$DEAD" = "0" ]; then
    echo PASS
else
    echo FAIL; exit 1
fi
