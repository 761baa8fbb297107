#!/bin/bash
# abpair.sh STORE A_BIN B_BIN [ROUNDS] [SECS]: two release builds' daemons side by side, each on
# its own copy of STORE (a folder `pillbox-bench all` or `checks` seeded: data/, master.key),
# driven in turn by the C client in short bursts (A, B, B, A, ...), so that a drift of this
# shared machine falls on both alike. Per path it prints the daemon CPU per request of every
# burst, then the median of B/A over the pairs. A_BIN and B_BIN are folders holding pillboxd.
# CHECKS_BODY=FILE replaces the body of POST /v1/checks. ONLY=REGEX keeps the paths that match it (e.g. ONLY='dispenses|nothing').
# Central: a fake one that answers 503 at once (the cache seeded with the store still serves);
# CENTRAL=refused names a closed port instead, as `pillbox-bench all` does.
# docs/performance.md, "one look-up per version".
set -e
STORE=$1 A=$2 B=$3 ROUNDS=${4:-10} SECS=${5:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/abpair.XXXXXX)
gcc -O2 -o "$WORK/uclient" "$HERE/uclient.c" -lpthread
PORT=18995
if [ "$CENTRAL" = refused ]; then PORT=9; FC=; else python3 "$HERE/fakecentral.py" $PORT & FC=$!; fi
PIDS=()
cleanup() { kill "${PIDS[@]}" $FC 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
for side in A B; do
  cp -a "$STORE" "$WORK/$side"
  cat > "$WORK/$side/pillbox.json" <<J
{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},"pharmacySystem":"https://pharmacy.example/ids/0042","url":"http://127.0.0.1:$PORT/fhir","startJitterSeconds":0}}
J
  bin=${!side}
  "$bin/pillboxd" --data-dir "$WORK/$side/data" --socket "$WORK/$side/s" --key-file "$WORK/$side/master.key" \
    --config "$WORK/$side/pillbox.json" --log-level error 2>"$WORK/$side.log" &
  PIDS+=($!)
  eval "PID_$side=$!"
done
for side in A B; do for i in $(seq 1 600); do [ -S "$WORK/$side/s" ] && break; sleep 0.1; done; done
PROFILE=/v1/patients/BNCH00000001/medications
ID=$(curl -s --unix-socket "$WORK/A/s" "http://x$PROFILE" | python3 -c '
import json,sys
print(next(m["id"] for m in json.load(sys.stdin)["medications"] if m.get("source") == "local"))')
PATHS=("GET $PROFILE -" "GET /v1/dispenses/$ID -" "POST /v1/checks ${CHECKS_BODY:-$HERE/checks-body.json}" "GET /v1/health -"
       "GET /v1/nothing-here -")
for p in "${PATHS[@]}"; do set -- $p; for side in A B; do "$WORK/uclient" "$WORK/$side/s" $1 $2 $3 2 1 >/dev/null 2>&1; done; done
burst() { # side method path body -> daemon µs per request
  local pid_var=PID_$1; local pid=${!pid_var}
  local c0 c1 out n
  c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$("$WORK/uclient" "$WORK/$1/s" $2 $3 $4 $SECS 1 2>/dev/null)
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
  awk -v a=$c0 -v b=$c1 -v n=$n 'BEGIN{printf "%.0f", (b-a)*10000/n}'
}
echo "abpair: A=$A B=$B store=$STORE rounds=$ROUNDS secs=$SECS $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
for p in "${PATHS[@]}"; do
  set -- $p
  [[ -n "$ONLY" && ! "$2" =~ $ONLY ]] && continue
  ratios=(); as=(); bs=()
  for r in $(seq 1 $ROUNDS); do
    if [ $((r % 2)) = 1 ]; then a=$(burst A $1 $2 $3); b=$(burst B $1 $2 $3); else b=$(burst B $1 $2 $3); a=$(burst A $1 $2 $3); fi
    as+=($a); bs+=($b); ratios+=($(awk -v a=$a -v b=$b 'BEGIN{printf "%.3f", b/a}'))
  done
  med() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
  echo "$1 $2: A µs/request ${as[*]} (median $(med "${as[@]}")); B ${bs[*]} (median $(med "${bs[@]}")); B/A median $(med "${ratios[@]}")"
done
echo "ended $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
