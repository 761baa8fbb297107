#!/bin/bash
# A/B of one path (any method, optional body) between daemon builds, on the run store, inside the
# clone's namespace (/work/bin/inwt NAME ...): binaries in .bench-bin/BUILD/, the store copy in
# .bench-store-run/. For each build in turn: start it against a fail-fast central record, warm up
# 2 s, then SECS with THREADS clients; print the daemon's CPU per request (utime+stime from /proc),
# the client's latency line and the load average.
# abpost.sh METHOD PATH BODY|- SECS THREADS BIN...
cd /work/main
M=$1 P=$2 B=$3 S=$4 T=$5; shift 5
python3 Benchmarks/perf/fakecentral.py 18997 & FC=$!
cat > .bench-store-run/pillbox.json <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:18997/fhir","startJitterSeconds":0}}
J
gcc -O2 -o /tmp/uclient Benchmarks/perf/uclient.c -lpthread
for BIN in "$@"; do
rm -f .bench-store-run/s
.bench-bin/$BIN/pillboxd --data-dir .bench-store-run/data --socket .bench-store-run/s --key-file .bench-store-run/master.key --config .bench-store-run/pillbox.json --log-level error 2>/dev/null & PID=$!
for i in $(seq 1 400); do [ -S .bench-store-run/s ] && break; sleep 0.05; done
/tmp/uclient .bench-store-run/s $M "$P" $B 2 $T >/dev/null
c0=$(awk '{print $14+$15}' /proc/$PID/stat)
out=$(/tmp/uclient .bench-store-run/s $M "$P" $B $S $T)
c1=$(awk '{print $14+$15}' /proc/$PID/stat)
n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
echo "$BIN $M $P x$T: $(awk -v a=$c0 -v b=$c1 -v n=$n 'BEGIN{printf "%.0f", (b-a)*10000/n}') us/request; $out; load $(cut -d' ' -f1-3 /proc/loadavg)"
kill $PID; wait $PID 2>/dev/null
done
kill $FC
