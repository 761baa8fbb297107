#!/bin/bash
# longreadwal.sh STORE BIN OP [INTERVAL_MS] [SECONDS]: the write-ahead log's size while a technician's
# operation runs online under a steady write load. BIN/pillboxd runs on a fresh copy of STORE (a
# folder `pillbox-bench all --store` seeded: data/, master.key); one keep-alive client records a
# distinct dispense every INTERVAL_MS (default 50) for the whole run; OP is
#   verify  `BIN/pillbox verify` through the daemon (one read snapshot of the whole store), or
#   rotate  `BIN/pillbox keys rotate --wait` (re-encryption in small batches), stopped after
#           SECONDS (default 60) if it has not finished.
# Prints the operation's time and exit code, the log's size before, at most during (sampled every
# 0.2 s) and after, and the writes' latencies. docs/storage.md, "The write-ahead log's size".
set -e
STORE=$1 BIN=$2 OP=$3 INTERVAL=${4:-50} SECS=${5:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/longreadwal.XXXXXX)
cleanup() { [ -n "$WRITER" ] && kill "$WRITER" 2>/dev/null; [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
start_copy "$STORE" "$BIN" "$WORK/s" http://127.0.0.1:9/fhir
WAL="$WORK/s/data/pillbox.sqlite-wal"
walsize() { stat -c %s "$WAL" 2>/dev/null || echo 0; }
mib() { python3 -c "print(f'{$1 / 1048576:.1f} MiB')"; }
python3 - "$WORK/s/sock" "$INTERVAL" "$WORK/writes" <<'P' &
import socket, sys, time, signal
path, interval, out = sys.argv[1], float(sys.argv[2]) / 1000, sys.argv[3]
body = ('{"daysSupply": 30, "medication": {"din": "02242903", "display": "Metformin 500 mg tablet"}, '
        '"patient": {"nam": "WALX%08d"}, "pharmacyDispenseId": "W-%012d", "quantity": {"unit": "tablet", '
        '"value": 60}, "whenHandedOver": "2026-11-30T10:00:00Z"}')
s = socket.socket(socket.AF_UNIX); s.connect(path)
latencies, n, bad = [], 0, 0
def report(*_):
    latencies.sort(); q = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0
    open(out, "w").write(f"writes: {len(latencies)} recorded ({bad} not 201), one every {interval * 1000:.0f} ms: "
                         f"p50 {q(.5):.1f} ms, p99 {q(.99):.1f} ms, max {max(latencies or [0]):.1f} ms\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, report)
while True:
    n += 1
    b = (body % (n, int(time.time()) * 1000 + n % 1000)).encode()
    began = time.perf_counter()
    s.sendall(b"POST /v1/dispenses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(b) + b)
    buf = b""
    while b"\r\n\r\n" not in buf: buf += s.recv(65536)
    head, rest = buf.split(b"\r\n\r\n", 1)
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(rest) < length: rest += s.recv(65536)
    latencies.append((time.perf_counter() - began) * 1000)
    if not head.startswith(b"HTTP/1.1 201"): bad += 1
    time.sleep(max(0, interval - (time.perf_counter() - began)))
P
WRITER=$!
sleep 5
WAL0=$(walsize)
( peak=0; while :; do w=$(walsize); [ "$w" -gt "$peak" ] && peak=$w && echo "$peak" > "$WORK/walpeak"; sleep 0.2; done ) &
SAMPLER=$!
T0=$(date +%s.%N)
set +e
case $OP in
  verify) "$BIN/pillbox" verify --socket "$WORK/s/sock" > "$WORK/op.out" 2>&1; CODE=$? ;;
  rotate) timeout -s INT "$SECS" "$BIN/pillbox" keys rotate --wait --socket "$WORK/s/sock" > "$WORK/op.out" 2>&1; CODE=$? ;;
  *) echo "OP: verify or rotate" >&2; exit 64 ;;
esac
set -e
T1=$(date +%s.%N)
kill $SAMPLER
sleep 3
WAL1=$(walsize)
kill -TERM $WRITER; wait $WRITER 2>/dev/null || true; WRITER=
echo "$OP: exit $CODE in $(python3 -c "print(round($T1 - $T0, 1))") s ($BIN); last line: $(tail -1 "$WORK/op.out")"
echo "write-ahead log: $(mib "$WAL0") before, at most $(mib "$(cat "$WORK/walpeak" 2>/dev/null || echo 0)") during, $(mib "$WAL1") 3 s after"
cat "$WORK/writes"
