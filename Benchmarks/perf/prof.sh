#!/bin/bash
# From issue 9's second step (docs/performance.md, "Changes and their effect"). Runs inside the clone's
# namespace (/work/bin/inwt NAME ...): binaries in .bench-bin/BUILD/, the store copy in .bench-store-run/.
# prof.sh BIN NAME METHOD PATH BODY SECS : perf record -g of one path on the run store
source "$(dirname "$0")/daemon.sh"
perf record -g -F 999 -p $PID -o .bench-out/perf-$NAME.data -- sleep $S >/dev/null 2>&1 &
RP=$!
sleep 0.2
/tmp/uclient .bench-store-run/s $M "$P" $B $S ${THREADS:-1}
wait $RP
stop_daemon
perf report -i .bench-out/perf-$NAME.data --children --sort symbol --stdio -g none 2>/dev/null | swift-demangle --simplified | grep -v "^$" | head -90 > .bench-out/children-$NAME.txt
perf report -i .bench-out/perf-$NAME.data --no-children --sort dso,symbol --stdio -g none 2>/dev/null | swift-demangle --simplified | grep -v "^$" | head -60 > .bench-out/self-$NAME.txt
