#!/usr/bin/env bash
# The console against this machine's physical floor, in one run (issue 41's table): live ingest
# beside the plainest code writing the same rows, the profile page and exact search beside the
# same server's static CSS file (wrk, one connection, p50), and the first wasm bundle as served
# (brotli) beside its 250,000-byte budget. Release build with the bench commands first:
#
#   cargo leptos build --release --precompress --split --bin-features bench
#   scripts/bench-all.sh          # SQLite in $BENCH_DIR (/tmp/cp-bench), CUSTOMERS=100000
#
# The ingest bench runs on a database of its own (20,000 customers, 50 batches of 1,000),
# deleted afterwards; the HTTP scenarios on $DB, seeded when empty (as bench-http.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
DURATION=${DURATION:-15s}
. scripts/bench/server.sh

INGEST_DB="$WORK/ingest-$$.db"
"$BIN" --database-url "sqlite://$INGEST_DB" bench-ingest --stream-events 1000 --page-reads 1 \
  >"$WORK/ingest.txt"
rm -f "$INGEST_DB" "$INGEST_DB-wal" "$INGEST_DB-shm"
ingest=$(grep -o 'throughput [0-9]* events/s' "$WORK/ingest.txt" | grep -o '[0-9]*')
floor=$(grep -o 'floor ([^)]*) [0-9]* events/s' "$WORK/ingest.txt" | grep -o '[0-9]* events/s' | grep -o '[0-9]*')

sample 2000 >"$WORK/sample"
cut -d' ' -f1 "$WORK/sample" >"$WORK/ids"
cut -d' ' -f2 "$WORK/sample" | grep . | sed 's/+/%2B/' >"$WORK/phones"
echo /pkg/customer-profiles.css >"$WORK/static"
# p50 in milliseconds of GET $BASE$1<a line of $2>, one connection.
p50() {
  IDS_FILE="$2" PREFIX="$1" SESSION_COOKIE="$COOKIE" \
    wrk -t1 -c1 -d"$DURATION" --latency -s scripts/bench/random-page.lua "$BASE" \
    | awk '$1 == "50%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+/, "", v);
                         print (u == "us" ? v / 1000 : (u == "s" ? v * 1000 : v)) }'
}
static=$(p50 "" "$WORK/static")
profile=$(p50 /customers/ "$WORK/ids")
search=$(p50 "/search?q=" "$WORK/phones")
bundle=$(stat -c %s target/site/pkg/customer-profiles.wasm.br)

echo "on $DB ($CUSTOMERS customers); ingest on a fresh SQLite database of 20,000 customers"
printf '%-34s %14s %14s %8s %s\n' what console floor ratio goal
printf '%-34s %14s %14s %8.2f %s\n' "live ingest (events/s)" "$ingest" "$floor" \
  "$(echo "$ingest / $floor" | bc -l)" "≥ 0.5"
printf '%-34s %14s %14s %8.1f %s\n' "profile page p50 (ms)" "$profile" "$static" \
  "$(echo "$profile / $static" | bc -l)" "≤ 5×"
printf '%-34s %14s %14s %8.1f %s\n' "exact search p50 (ms)" "$search" "$static" \
  "$(echo "$search / $static" | bc -l)" "≤ 3×"
printf '%-34s %14s %14s %8.2f %s\n' "first bundle, brotli (bytes)" "$bundle" 250000 \
  "$(echo "$bundle / 250000" | bc -l)" "< 1"
