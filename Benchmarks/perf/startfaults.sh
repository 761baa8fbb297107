#!/bin/bash
# startfaults.sh BIN_DIR STORE [SECONDS]: where a daemon's resident memory after start comes from.
# Starts BIN_DIR/pillboxd on a copy of STORE (a folder `pillbox-bench all` seeded: data/,
# master.key) with a central on a closed port, records every page fault of the start with its
# stack (perf, dwarf unwinding), stops it SECONDS (default 3) after its socket appears, and
# prints, per mapped file, the faults and what caused them: the dynamic loader (relocations,
# symbol look-ups), the Swift runtime's type and conformance look-ups, or other code. Each
# fault maps up to 16 neighbouring pages already in the page cache (the kernel's fault-around),
# so RSS per file is several times its faults. docs/performance.md, "the appliance build".
set -e
BIN=$1 STORE=$2 SECS=${3:-3}
WORK=$(mktemp -d /tmp/startfaults.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -a "$STORE" "$WORK/st"
cat > "$WORK/pillbox.json" <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:9/fhir","startJitterSeconds":0}}
J
perf record -q -e page-faults -c 1 -d --call-graph dwarf,16384 -o "$WORK/pf.data" -- \
    "$BIN/pillboxd" --data-dir "$WORK/st/data" --socket "$WORK/s" --key-file "$WORK/st/master.key" \
    --config "$WORK/pillbox.json" --log-level error 2>"$WORK/log" &
for _ in $(seq 1 300); do [ -S "$WORK/s" ] && break; sleep 0.05; done
sleep "$SECS"
pid=$(pgrep -f "^$BIN/pillboxd --data-dir $WORK/st/data")
grep -E "VmRSS|RssAnon|RssFile" "/proc/$pid/status" | tr -s ' \t\n' ' '; echo
kill -INT "$pid"; wait
perf script -i "$WORK/pf.data" -F comm,tid,addr,ip,sym,dso 2>/dev/null | swift-demangle --simplified | python3 -c '
import re, sys, collections
faults = collections.Counter(); causes = collections.defaultdict(collections.Counter)
for block in sys.stdin.read().split("\n\n"):
    lines = [l for l in block.strip().split("\n") if l.strip()]
    if not lines: continue
    m = re.search(r"\(([^()]*)\)\s*$", lines[0])          # the faulting address, as perf names it
    target = m.group(1).split("/")[-1] if m else "?"
    stack = " ".join(l for l in lines[1:] if "kernel.kallsyms" not in l)
    if "_dl_relocate_object" in stack or "_dl_map_object" in stack: cause = "loader"
    elif "getTypeByMangled" in stack or "conformsToProtocol" in stack: cause = "Swift type look-up"
    else: cause = "other"
    faults[target] += 1; causes[target][cause] += 1
print("faults  file (loader / Swift type look-up / other)")
for target, n in faults.most_common(15):
    c = causes[target]
    print("%6d  %s (%d / %d / %d)" % (n, target, c["loader"], c["Swift type look-up"], c["other"]))
'
