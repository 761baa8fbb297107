#!/bin/bash
# allruns.sh STORE BIN_DIR...: `pillbox-bench all --records ${RECORDS:-1000000} --seconds 5` of each build in
# turn (BIN_DIR holds pillboxd and pillbox-bench), each on a fresh copy of STORE; prints the
# rows issue 9 names. List builds alternated (A B A B) and read them as pairs.
set -e
STORE=$1; shift
COPY=$(mktemp -d /tmp/allruns.XXXXXX)
trap 'rm -rf "$COPY"' EXIT
for BIN in "$@"; do
  rm -rf "$COPY/s" && cp -a "$STORE" "$COPY/s"
  echo "== $BIN $(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$BIN/pillbox-bench" all --store "$COPY/s" --records ${RECORDS:-1000000} --seconds 5 2>/dev/null \
    | grep -E "^(profile|single|health|cheapest|checks|intake|plain|RSS|start|daemon CPU while)"
done
