#!/bin/bash
# From issue 9's second step (docs/performance.md, "Changes and their effect"). Runs inside the clone's
# namespace (/work/bin/inwt NAME ...): binaries in .bench-bin/BUILD/, the store copy in .bench-store-run/.
# prof.sh BIN NAME METHOD PATH BODY SECS : perf record -g of one path on the run store
cd /work/main
BIN=$1 NAME=$2 M=$3 P=$4 B=$5 S=$6
python3 Benchmarks/perf/fakecentral.py 18999 & FC=$!
cat > .bench-store-run/pillbox.json <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:18999/fhir","startJitterSeconds":0}}
J
rm -f .bench-store-run/s
.bench-bin/$BIN/pillboxd --data-dir .bench-store-run/data --socket .bench-store-run/s --key-file .bench-store-run/master.key --config .bench-store-run/pillbox.json --log-level error 2>.bench-out/d.log & PID=$!
for i in $(seq 1 200); do [ -S .bench-store-run/s ] && break; sleep 0.05; done
gcc -O2 -o /tmp/uclient Benchmarks/perf/uclient.c -lpthread
/tmp/uclient .bench-store-run/s $M "$P" $B 2 1 >/dev/null
strace -f -c -e trace=fsync,fdatasync,getsockopt,futex -p $PID -o .bench-out/strace-$NAME.txt &
RP=$!
sleep 0.2
/tmp/uclient .bench-store-run/s $M "$P" $B $S ${THREADS:-1}
kill -INT $RP; wait $RP
kill $PID $FC; wait $PID 2>/dev/null
