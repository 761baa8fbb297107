# Sourced by intakeab.sh, intakeio.sh, statusbacklog.sh and fourclients.sh: one daemon on a fresh copy of a
# seeded store, and its CPU ticks from /proc.
#
# start_copy STORE BIN DIR [CENTRAL_URL]: copies STORE (data/, master.key) to DIR, starts
# BIN/pillboxd on it (socket DIR/sock; with CENTRAL_URL as its central record when given),
# waits for the socket; sets PID.
start_copy() {
  local store=$1 bin=$2 dir=$3 central=$4 config=()
  rm -rf "$dir" && cp -a "$store" "$dir" && rm -f "$dir/sock"
  if [ -n "$central" ]; then
    echo "{\"central\":{\"pharmacyId\":\"0042\",\"prefetch\":{\"recentDays\":0},\"pharmacySystem\":\"https://pharmacy.example/ids/0042\",\"url\":\"$central\",\"startJitterSeconds\":0}}" > "$dir/c.json"
    config=(--config "$dir/c.json")
  fi
  "$bin/pillboxd" --data-dir "$dir/data" --socket "$dir/sock" --key-file "$dir/master.key" "${config[@]}" \
    --log-level error 2>"$dir.log" &
  PID=$!
  while [ ! -S "$dir/sock" ]; do
    kill -0 $PID 2>/dev/null || { echo "pillboxd ($bin) exited before its socket appeared:" >&2; tail -5 "$dir.log" >&2; return 1; }
    sleep 0.01
  done
}

# ticks PID: the daemon's user and system CPU so far, in clock ticks.
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# stop_copy: ends the daemon start_copy started.
stop_copy() { kill $PID; wait $PID 2>/dev/null || true; }

# intake_client WORK: builds the C client as WORK/uclient and writes WORK/body.json, a dispense
# whose %N8% (patient) and %ID% (pharmacyDispenseId) the client makes distinct per request.
intake_client() {
  gcc -O2 -o "$1/uclient" "$HERE/uclient.c" -lpthread
  cat > "$1/body.json" <<'J'
{"daysSupply": 30, "medication": {"din": "02242903", "display": "Metformin 500 mg tablet"}, "patient": {"nam": "ABCD%N8%"}, "pharmacyDispenseId": "B-%ID%", "quantity": {"unit": "tablet", "value": 60}, "whenHandedOver": "2026-11-30T10:00:00Z"}
J
}
