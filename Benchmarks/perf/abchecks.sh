#!/bin/bash
# From the profile helper (docs/performance.md, "profile"). Inside the clone's namespace, as ab.sh.
# abchecks.sh BIN: POST /v1/checks for the bench patient on a fresh store copy, daemon CPU per request
cd /work/main
BIN=$1
rm -rf .bench-store-run && cp -a .bench-store-pristine .bench-store-run
python3 Benchmarks/perf/fakecentral.py 18996 & FC=$!
cat > .bench-store-run/pillbox.json <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:18996/fhir","startJitterSeconds":0}}
J
gcc -O2 -o /tmp/uclient Benchmarks/perf/uclient.c -lpthread
.bench-bin/$BIN/pillboxd --data-dir .bench-store-run/data --socket .bench-store-run/s --key-file .bench-store-run/master.key --config .bench-store-run/pillbox.json --log-level error 2>/dev/null & PID=$!
for i in $(seq 1 400); do [ -S .bench-store-run/s ] && break; sleep 0.05; done
# one profile first, as a pharmacy would (it also rewrites an old cache in the after build)
/tmp/uclient .bench-store-run/s GET /v1/patients/BNCH00000001/medications - 1 1 >/dev/null
/tmp/uclient .bench-store-run/s POST /v1/checks Benchmarks/perf/checks-body.json 2 1 >/dev/null
c0=$(awk '{print $14+$15}' /proc/$PID/stat)
out=$(/tmp/uclient .bench-store-run/s POST /v1/checks Benchmarks/perf/checks-body.json 8 1)
c1=$(awk '{print $14+$15}' /proc/$PID/stat)
n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
echo "$BIN checks: $(awk -v a=$c0 -v b=$c1 -v n=$n 'BEGIN{printf "%.0f", (b-a)*10000/n}') us/request; $out; load $(cut -d' ' -f1 /proc/loadavg)"
kill $PID $FC; wait $PID 2>/dev/null
