#!/bin/bash
# cgpath.sh STORE BIN [SECS] [CLIENTS] [METHOD] [PATH] [BODY]: user-space instructions per request
# (callgrind, counted from `callgrind_control -z` to `-d`: the load only, every thread, every
# library) of BIN/pillboxd on a fresh copy of STORE, no central record. Defaults: 15 s, 4 clients,
# POST /v1/dispenses with distinct dispenses (copyrun.sh's intake body). Instruction counts do not
# move with the machine's load as CPU time does: the way to see a change of a few percent here.
# Valgrind cannot read the appliance build's debug information: give it a copy stripped of it
# (`strip --strip-debug -o COPY/pillboxd BIN/pillboxd`; the symbol table stays).
# KEEP=FILE keeps the callgrind output there, for `callgrind_annotate --inclusive=yes FILE`.
# docs/performance.md, "intake: the date-time parsed by arithmetic, the answer spliced".
set -e
STORE=$1; BIN=$2; S=${3:-15}; C=${4:-4}; M=${5:-POST}; P=${6:-/v1/dispenses}; B=${7:-}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/copyrun.sh"
WORK=$(mktemp -d /tmp/cgpath.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
intake_client "$WORK"
B=${B:-$WORK/body.json}
D=$WORK/s
cp -a "$STORE" $D && rm -f $D/sock
valgrind --tool=callgrind --callgrind-out-file=$WORK/callgrind.out "$BIN/pillboxd" --data-dir $D/data --socket $D/sock \
  --key-file $D/master.key --log-level error 2>$WORK/valgrind.log &
PID=$!
while [ ! -S $D/sock ]; do
  kill -0 $PID 2>/dev/null || { tail -5 $WORK/valgrind.log >&2; exit 1; }
  sleep 0.2
done
"$WORK/uclient" $D/sock $M $P $B 3 $C >/dev/null
callgrind_control -z $PID >/dev/null 2>&1
out=$("$WORK/uclient" $D/sock $M $P $B $S $C)
callgrind_control -d $PID >/dev/null 2>&1
sleep 1
kill $PID; wait $PID 2>/dev/null || true
n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
ir=$(grep -h "^summary:\|^totals:" $WORK/callgrind.out.1 | head -1 | awk '{print $2}')
[ -n "${KEEP:-}" ] && cp $WORK/callgrind.out.1 "$KEEP"
echo "$BIN $M $P: requests=$n instructions=$ir per request=$((ir / n))"
