# Sourced by prof.sh and strace.sh, with their arguments BIN NAME METHOD PATH BODY SECS: starts the
# fake central (fakecentral.py on 18999) and .bench-bin/BIN/pillboxd on the run store copy
# (.bench-store-run/), builds /tmp/uclient and warms the path up for 2 s. Leaves PID (the daemon)
# and FC (the fake central); stop_daemon ends both.
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

stop_daemon() {
  kill $PID $FC; wait $PID 2>/dev/null
}
