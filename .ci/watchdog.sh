#!/usr/bin/env bash
# Usage: .ci/watchdog.sh SECONDS NAME COMMAND [ARGUMENT...]
#
# Runs COMMAND. If it is still running after SECONDS, prints what every process under it is
# doing (the process tree with each process's kernel wait channel, and each thread's stack
# through gdb for our Swift binaries and the test runner), stops them all and exits 124.
# A hang then fails CI within its time limit, with the stacks that say where, instead of
# running into the limit with no clue (a stop's CI once did: 5,400 s, nothing printed).
# Otherwise exits with COMMAND's own status.
set -uo pipefail
limit=$1
name=$2
shift 2

"$@" &
pid=$!
started=$SECONDS

descendants() {
    local child
    for child in $(pgrep -P "$1"); do
        echo "$child"
        descendants "$child"
    done
}

while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - started >= limit )); then
        echo
        echo "::: watchdog: '$name' still running after $limit s; what each process under it is doing:"
        pids="$pid $(descendants "$pid" | tr '\n' ' ')"
        # shellcheck disable=SC2086  # a list of pids
        ps -o pid,ppid,stat,etime,wchan:30,args -p "$(echo $pids | tr ' ' ',')" 2>&1 | cut -c1-240
        for p in $pids; do
            comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
            case $comm in
                *xctest*|*PackageTest*|pillbox*|swift-testing*)
                    echo "::: threads of $p ($comm)"
                    if command -v gdb >/dev/null; then
                        # Threads with the same stack are printed once, with their count.
                        timeout 60 gdb -p "$p" -batch -ex "thread apply all bt 14" 2>/dev/null \
                            | sed -nE 's/^#([0-9]+) +(0x[0-9a-f]+ in )?([^ ]+).*/  \3/p; s/^Thread .*/---/p' \
                            | swift demangle --simplified --compact 2>/dev/null \
                            | awk '/^---/ { if (stack != "") seen[stack]++; stack = ""; next } { stack = stack $0 "\n" }
                                   END { if (stack != "") seen[stack]++; for (s in seen) printf "%d thread(s):\n%s", seen[s], s }' \
                            | cut -c1-200 | head -n 800
                    else
                        for task in /proc/"$p"/task/*; do
                            echo "thread ${task##*/}: $(cat "$task/wchan" 2>/dev/null) $(head -n 3 "$task/stack" 2>/dev/null | tr '\n' ' ')"
                        done
                    fi
                    ;;
            esac
        done
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null
        sleep 5
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null
        wait "$pid" 2>/dev/null
        echo "::: watchdog: '$name' stopped after $limit s (exit 124)"
        exit 124
    fi
    sleep 2
done
wait "$pid"
