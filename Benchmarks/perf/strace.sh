#!/bin/bash
# From issue 9's second step (docs/performance.md, "Changes and their effect"). Runs inside the clone's
# namespace (/work/bin/inwt NAME ...): binaries in .bench-bin/BUILD/, the store copy in .bench-store-run/.
# strace.sh BIN NAME METHOD PATH BODY SECS : syscall counts (fsync, fdatasync, getsockopt, futex) of one path
source "$(dirname "$0")/daemon.sh"
strace -f -c -e trace=fsync,fdatasync,getsockopt,futex -p $PID -o .bench-out/strace-$NAME.txt &
RP=$!
sleep 0.2
/tmp/uclient .bench-store-run/s $M "$P" $B $S ${THREADS:-1}
kill -INT $RP; wait $RP
stop_daemon
