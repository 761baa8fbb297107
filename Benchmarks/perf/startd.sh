#!/bin/bash
# starts the release daemon on the copied store inside the clone's namespace; prints its PID
cd /work/wt/checks
/work/bin/inwt checks /work/main/.build_rel/release/pillboxd --data-dir /work/main/.perf-out/store/data --socket /work/main/.perf-out/store/s \
  --key-file /work/main/.perf-out/store/master.key --config /work/main/.perf-out/store/pillbox.json --log-level error \
  >/work/wt/checks/.perf-out/daemon.log 2>&1 &
echo $! > /work/wt/checks/.perf-out/daemon.pid
for i in $(seq 1 200); do [ -S /work/wt/checks/.perf-out/store/s ] && break; sleep 0.05; done
echo pid $(cat /work/wt/checks/.perf-out/daemon.pid); 
