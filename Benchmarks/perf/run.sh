#!/bin/bash
# run.sh NAME METHOD PATH BODY THREADS SECONDS : measure run (perf stat, /proc) then perf record run
set -u
cd "${PERF_OUT:-.perf-out}" || exit 1
name=$1 method=$2 path=$3 body=$4 threads=$5 secs=$6
PID=$(cat daemon.pid); S=store/s
cpu() { awk '{print $14+$15}' /proc/$PID/stat; }
ctx() { cat /proc/$PID/task/*/status | awk '/^voluntary_ctxt/{v+=$2} /^nonvoluntary_ctxt/{n+=$2} END{print v, n}'; }
mach() { awk '/^cpu /{print $2+$3+$4+$6+$7+$8, $5}' /proc/stat; }
./uclient $S $method $path $body 2 $threads >/dev/null   # warm-up
{
echo "== $name  ($method $path, $threads client(s), ${secs}s) $(date -u +%T)"
echo "loadavg before: $(cat /proc/loadavg)"
c0=$(cpu); read v0 n0 < <(ctx); read mb0 mi0 < <(mach)
perf stat -e context-switches,cpu-migrations,task-clock -p $PID -o stat-$name.txt -- sleep $((secs+1)) &
sp=$!
out=$(./uclient $S $method $path $body $secs $threads)
wait $sp
c1=$(cpu); read v1 n1 < <(ctx); read mb1 mi1 < <(mach)
echo "client: $out"
req=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
tck=$(getconf CLK_TCK)
python3 - <<PY
req=$req; dc=($c1-$c0)/$tck; vol=$v1-$v0; inv=$n1-$n0
busy=$mb1-$mb0; idle=$mi1-$mi0
print(f"daemon cpu: {dc:.2f}s total, {dc/req*1e6:.0f} us/request; ctx switches (all threads, /proc): voluntary {vol} ({vol/req:.1f}/req), involuntary {inv} ({inv/req:.2f}/req)")
print(f"machine busy during run: {100*busy/(busy+idle):.0f}% of 2 cores")
PY
grep -E 'context-switches|cpu-migrations|task-clock' stat-$name.txt
echo "loadavg after: $(cat /proc/loadavg)"
} | tee res-$name.txt
# profile run
perf record -g -F 1999 -p $PID -o perf-$name.data -- sleep $secs >/dev/null 2>perf-$name.rec.log &
rp=$!
sleep 0.3
./uclient $S $method $path $body $secs $threads | sed 's/^/profile-run client: /' | tee -a res-$name.txt
wait $rp
