#!/bin/bash
# From issue 9's second step (docs/performance.md, "Changes and their effect"). Runs inside the clone's
# namespace (/work/bin/inwt NAME ...): binaries in .bench-bin/BUILD/, the store copy in .bench-store-run/.
# ab.sh PATH SECS BIN... : for each binary in turn, start the daemon on the run store, one client for SECS, print daemon CPU/request
cd /work/main
P=$1 S=$2; shift 2
python3 Benchmarks/perf/fakecentral.py 18998 & FC=$!
cat > .bench-store-run/pillbox.json <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:18998/fhir","startJitterSeconds":0}}
J
gcc -O2 -o /tmp/uclient Benchmarks/perf/uclient.c -lpthread
for BIN in "$@"; do
rm -f .bench-store-run/s
.bench-bin/$BIN/pillboxd --data-dir .bench-store-run/data --socket .bench-store-run/s --key-file .bench-store-run/master.key --config .bench-store-run/pillbox.json --log-level error 2>/dev/null & PID=$!
for i in $(seq 1 400); do [ -S .bench-store-run/s ] && break; sleep 0.05; done
/tmp/uclient .bench-store-run/s GET "$P" - 2 1 >/dev/null
c0=$(awk '{print $14+$15}' /proc/$PID/stat)
out=$(/tmp/uclient .bench-store-run/s GET "$P" - $S 1)
c1=$(awk '{print $14+$15}' /proc/$PID/stat)
n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
echo "$BIN $P: $(awk -v a=$c0 -v b=$c1 -v n=$n 'BEGIN{printf "%.0f", (b-a)*10000/n}') us/request; $out; load $(cut -d' ' -f1 /proc/loadavg)"
kill $PID; wait $PID 2>/dev/null
done
kill $FC
