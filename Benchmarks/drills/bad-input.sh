#!/usr/bin/env bash
# Drill 6, "Bad input" (docs/reliability.md): schemathesis fuzzes every operation of
# docs/openapi.yaml against a dev pillboxd on a temporary folder, through a loopback-only
# TCP-to-Unix-socket bridge (Benchmarks/drills/socket-bridge.py). Checks: no 5xx, and every
# response conforms to the document (status code, content type, schema, headers).
# Short: 200 examples per operation; PILLBOX_DRILL_LONG=1: 2,000.
# Prints one PASS/FAIL line per operation and ends with `N passed, N failed`; exits non-zero
# on any failure. Needs: python3, schemathesis (pinned in .ci/run), the debug build.
set -uo pipefail
cd "$(dirname "$0")/../.."

examples=200
[ "${PILLBOX_DRILL_LONG:-0}" = "1" ] && examples=2000
seed=${PILLBOX_DRILL_SEED:-$RANDOM}
daemon=${PILLBOXD_BINARY:-.build/debug/pillboxd}
work=$(mktemp -d /tmp/pillbox-bad-input.XXXXXX)
daemon_pid=""
bridge_pid=""

finish() {
    local passed=$1 failed=$2
    [ -n "$bridge_pid" ] && kill "$bridge_pid" 2>/dev/null && wait "$bridge_pid" 2>/dev/null
    if [ -n "$daemon_pid" ]; then
        kill -TERM "$daemon_pid" 2>/dev/null
        wait "$daemon_pid" 2>/dev/null
        local status=$?
        if [ "$status" -eq 0 ]; then echo "PASS daemon stopped cleanly (exit 0)"; passed=$((passed + 1))
        else echo "FAIL daemon exit status $status after SIGTERM"; failed=$((failed + 1)); fi
        daemon_pid=""
    fi
    # The drill's own traces must not hold the canary the fuzzer never sees (a NAM sent below).
    if [ -f "$work/daemon.log" ] && grep -q "ZQXW" "$work/daemon.log"; then
        echo "FAIL the daemon log holds patient data (canary NAM)"; failed=$((failed + 1))
    elif [ -f "$work/daemon.log" ]; then
        echo "PASS the daemon log holds no canary NAM"; passed=$((passed + 1))
    fi
    [ "${PILLBOX_DRILL_KEEP:-0}" = "1" ] && echo "kept $work" || rm -rf "$work"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
trap 'finish 0 1' INT TERM

if ! command -v schemathesis >/dev/null 2>&1; then
    echo "FAIL schemathesis is not installed (pip install schemathesis; see .ci/run)"
    finish 0 1
fi
if [ ! -x "$daemon" ]; then
    echo "FAIL $daemon is missing (swift build --product pillboxd)"
    finish 0 1
fi

# A dev daemon on a temporary folder; the fuzzer reaches it as root, whose role is admin.
"$daemon" --dev --data-dir "$work/data" --socket "$work/pillbox.sock" --log-level info >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 200); do [ -S "$work/pillbox.sock" ] && break; sleep 0.05; done
if [ ! -S "$work/pillbox.sock" ]; then
    echo "FAIL the daemon did not open its socket"; cat "$work/daemon.log"; finish 0 1
fi

# The bridge: 127.0.0.1 only, on a free port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 Benchmarks/drills/socket-bridge.py "$port" "$work/pillbox.sock" &
bridge_pid=$!
for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break; sleep 0.05; done

# A few real records with a canary NAM, so reads, recalls and corrections find something.
for n in 1 2 3; do
    curl -s -o /dev/null --unix-socket "$work/pillbox.sock" -H 'Content-Type: application/json' \
        -d "{\"pharmacyDispenseId\":\"DRILL-$n\",\"patient\":{\"nam\":\"ZQXW98765432\"},\"medication\":{\"din\":\"02242903\",\"display\":\"Drill\"},\"lot\":\"AB-123\"}" \
        http://localhost/v1/dispenses
done

echo "schemathesis $(schemathesis --version 2>/dev/null | awk '{print $NF}'), $examples examples per operation, seed $seed"
started=$(date +%s)
repo=$(pwd)
# Run from the temporary folder: schemathesis keeps its example database in the working folder.
fuzz() {
    (cd "$work" && python3 "$repo/Benchmarks/drills/schemathesis-run.py" run "$repo/docs/openapi.yaml" --url "http://127.0.0.1:$port" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection \
        --phases examples,coverage,fuzzing --max-examples "$examples" --seed "$seed" --no-shrink \
        --workers 2 --request-timeout 10 --suppress-health-check all --warnings off \
        --report junit --report-junit-path "$work/junit.xml" >"$work/schemathesis.log" 2>&1)
}
fuzz
st_status=$?
# schemathesis-run.py patches one CPython 3.11 crash inside hypothesis (see its header); if a
# crash of the fuzzer itself still shows, say so plainly: the operation was not tested.
if grep -q "AST constructor recursion depth mismatch" "$work/schemathesis.log"; then
    echo "FAIL schemathesis crashed inside CPython (AST recursion depth mismatch): an operation was not fuzzed"
fi
echo "schemathesis exit $st_status after $(( $(date +%s) - started )) s"

# One check per operation, from the JUnit report.
results=$(python3 - "$work/junit.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception as error:
    print(f"FAIL no readable JUnit report ({error})")
    sys.exit(0)
for case in root.iter("testcase"):
    problems = [child for child in case if child.tag in ("failure", "error")]
    if problems:
        text = " | ".join((p.get("message") or p.text or "").strip().splitlines()[0][:200] for p in problems)
        print(f"FAIL {case.get('name')}: {text}")
    elif any(child.tag == "skipped" for child in case):
        print(f"FAIL {case.get('name')}: skipped")
    else:
        print(f"PASS {case.get('name')}")
PY
)
echo "$results"
passed=$(grep -c '^PASS' <<<"$results")
failed=$(grep -c '^FAIL' <<<"$results")
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    echo "FAIL schemathesis tested no operation"; failed=1
fi
if [ "$failed" -gt 0 ] || [ "$st_status" -ne 0 ]; then
    echo "--- schemathesis output (last 80 lines; full log in $work/schemathesis.log with PILLBOX_DRILL_KEEP=1)"
    tail -n 80 "$work/schemathesis.log"
    [ "$failed" -eq 0 ] && { echo "FAIL schemathesis exited $st_status"; failed=1; }
fi
# Figures: requests the daemon served, by status.
echo "daemon served $(grep -c 'Request served' "$work/daemon.log") requests; by status:" \
    $(grep -o 'http.status=[0-9]*' "$work/daemon.log" | sort | uniq -c | awk '{printf "%s %s,", $2, $1}' | sed 's/http.status=//g; s/,$//')
if grep -qE '"http.status":"5[0-9][0-9]"|http.status=5[0-9][0-9]' "$work/daemon.log"; then
    echo "FAIL the daemon log shows a 5xx answer"; failed=$((failed + 1))
else
    echo "PASS the daemon log shows no 5xx answer"; passed=$((passed + 1))
fi
finish "$passed" "$failed"
