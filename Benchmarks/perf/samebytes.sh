#!/bin/bash
# From the profile helper (docs/performance.md, "profile"). Inside the clone's namespace, as ab.sh; needs curl.
# samebytes.sh BIN : start BIN's daemon on a fresh store copy, save the profile and one single read
cd /work/main && mkdir -p .bench-out
BIN=$1
rm -rf .bench-store-run && cp -a .bench-store-pristine .bench-store-run
python3 Benchmarks/perf/fakecentral.py 18997 & FC=$!
cat > .bench-store-run/pillbox.json <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:18997/fhir","startJitterSeconds":0}}
J
.bench-bin/$BIN/pillboxd --data-dir .bench-store-run/data --socket .bench-store-run/s --key-file .bench-store-run/master.key --config .bench-store-run/pillbox.json --log-level error 2>/dev/null & PID=$!
for i in $(seq 1 400); do [ -S .bench-store-run/s ] && break; sleep 0.05; done
curl -s --unix-socket .bench-store-run/s http://x/v1/patients/BNCH00000001/medications > .bench-out/profile-$BIN.json
curl -s --unix-socket .bench-store-run/s http://x/v1/patients/BNCH00000001/medications > .bench-out/profile2-$BIN.json
ID=$(python3 -c "import json;print([m['id'] for m in json.load(open('.bench-out/profile-$BIN.json'))['medications'] if m.get('source')=='local'][0])")
curl -s --unix-socket .bench-store-run/s http://x/v1/dispenses/$ID > .bench-out/single-$BIN.json
kill $PID $FC; wait $PID 2>/dev/null
