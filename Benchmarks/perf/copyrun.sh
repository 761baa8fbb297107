# Sourced by intakeab.sh, statusbacklog.sh and fourclients.sh: one daemon on a fresh copy of a
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
