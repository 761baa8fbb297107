#!/usr/bin/env bash
# Runs every reliability drill in its short form (PILLBOX_DRILL_LONG=1 for the long form)
# against the debug build, and ends with one line `N passed, N failed` over all drills.
# Exit code non-zero when any drill failed. See docs/reliability.md.
set -uo pipefail
cd "$(dirname "$0")/../.."

swift build --product pillboxd >/dev/null && swift build --product pillbox-central-sim >/dev/null \
  && swift build --product pillbox-drill >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

drills=(crash-loop fsync-faults disk-full central-faults hostile-clients)   # subcommands of pillbox-drill
scripts=(bad-input.sh)   # drills written as scripts (the schemathesis fuzzer)

total_passed=0
total_failed=0
run() {
    local name=$1; shift
    echo "=== drill: $name"
    local log status last
    log=$(mktemp)
    "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    rm -f "$log"
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        total_passed=$((total_passed + BASH_REMATCH[1]))
        total_failed=$((total_failed + BASH_REMATCH[2]))
        # A drill that exits non-zero while reporting no failure still counts as one.
        if [ "$status" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then total_failed=$((total_failed + 1)); fi
    else
        echo "drill $name printed no closing line (exit $status)"
        total_failed=$((total_failed + 1))
    fi
}
for d in "${drills[@]}"; do run "$d" .build/debug/pillbox-drill "$d"; done
for s in "${scripts[@]}"; do run "$s" "Benchmarks/drills/$s"; done

echo "drills: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
