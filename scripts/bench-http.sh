#!/usr/bin/env bash
# HTTP load test of the release server on loopback with wrk: p50 / p99 latency and requests/s
# of the profile page (server render: header and the first page of events), of exact search
# by phone, and of the sign-in page, spread over random customers; the server's RSS before,
# during and at its peak (VmHWM). Seeds the database first when it is empty.
#
#   cargo leptos build --release --precompress --split
#   scripts/bench-http.sh                                   # SQLite in $BENCH_DIR (/tmp/cp-bench)
#   scripts/bench-http.sh postgres://postgres@127.0.0.1:55433/bench
#
# CUSTOMERS (100000) customers are seeded with their event history; DURATION (20s) per
# scenario; CONNECTIONS (16) open connections over 2 wrk threads.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
[ -n "${1:-}" ] && DB=$1
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
. scripts/bench/server.sh

sample 2000 >"$WORK/sample"
cut -d' ' -f1 "$WORK/sample" >"$WORK/ids"
cut -d' ' -f2 "$WORK/sample" | grep . | sed 's/+/%2B/' >"$WORK/phones"

echo "server $BASE on $DB; RSS after start $(rss VmRSS)"
run() { # name, connections, prefix, file
  echo "== $1, $2 connection(s)"
  IDS_FILE="$WORK/$4" PREFIX="$3" SESSION_COOKIE="$COOKIE" \
    wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"$DURATION" --latency -s scripts/bench/random-page.lua "$BASE" \
    | grep -E "^ +(50|99)%|Requests/sec|Non-2xx|Socket errors|requests in"
  echo "   server RSS now $(rss VmRSS), peak $(rss VmHWM)"
}
run "profile page (server render: header and first page of events), random customers" 1 /customers/ ids
run "exact search by phone, random customers" 1 "/search?q=" phones
run "profile page under load" "$CONNECTIONS" /customers/ ids
run "exact search by phone under load" "$CONNECTIONS" "/search?q=" phones
echo "server RSS at the end $(rss VmRSS), peak $(rss VmHWM)"
