#!/usr/bin/env bash
# Server memory while it ingests: batches of 1,000 events (purchases and points over random
# customers) posted to the ingest API one after another while wrk loads profile pages on 16
# connections; prints throughput and the server's RSS before and at its peak (VmHWM).
#
#   cargo leptos build --release --precompress --split
#   scripts/bench-rss-ingest.sh [DATABASE_URL]       # BATCHES (60), DURATION of the page load (30s)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
[ -n "${1:-}" ] && DB=$1
BATCHES=${BATCHES:-60}
DURATION=${DURATION:-30s}
. scripts/bench/server.sh
KEY=$("$BIN" --database-url "$DB" create-api-key --name "rss-bench-$$" | grep -o 'cpk_[A-Za-z0-9_-]*' | head -n1)
[ -n "$KEY" ] || { echo "could not create an API key" >&2; exit 1; }
sample 2000 >"$WORK/sample"
cut -d' ' -f1 "$WORK/sample" >"$WORK/ids"
python3 - "$WORK" "$BATCHES" <<'PY'
import json, random, sys, datetime
work, batches = sys.argv[1], int(sys.argv[2])
ids = open(f"{work}/ids").read().split()
now = datetime.datetime.now(datetime.timezone.utc)
rng = random.Random(7)
for b in range(batches):
    events = []
    for i in range(1000):
        at = (now - datetime.timedelta(seconds=rng.randrange(60, 86400 * 30))).isoformat()
        event = {"event_id": f"rss-{rng.random()}-{b}-{i}", "occurred_at": at,
                 "customer": {"id": rng.choice(ids)}, "source": "pos"}
        if rng.random() < 0.6:
            event.update(type="purchase", store_id="LDN-001", payload={
                "amount_cents": rng.randrange(250, 2500), "currency": "GBP",
                "items": [{"sku": "DRK-001", "qty": 1}]})
        else:
            event.update(type="points_earned", payload={"points": rng.randrange(1, 40), "reason": "purchase"})
        events.append(event)
    json.dump({"events": events}, open(f"{work}/batch-{b}.json", "w"))
PY
echo "server $BASE on $DB; RSS after start $(rss VmRSS)"
IDS_FILE="$WORK/ids" PREFIX=/customers/ SESSION_COOKIE="$COOKIE" \
  wrk -t2 -c16 -d"$DURATION" --latency -s scripts/bench/random-page.lua "$BASE" >"$WORK/wrk.out" &
LOAD=$!
started=$(date +%s.%N)
for b in $(seq 0 $((BATCHES - 1))); do
  code=$(curl -s -o "$WORK/answer.json" -w '%{http_code}' -H "x-api-key: $KEY" \
    -H 'content-type: application/json' --data-binary "@$WORK/batch-$b.json" "$BASE/api/v1/events")
  [ "$code" = 200 ] || { echo "batch $b: HTTP $code $(head -c 300 "$WORK/answer.json")" >&2; exit 1; }
done
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
echo "ingested $BATCHES batches of 1,000 in ${elapsed} s under page load; RSS now $(rss VmRSS), peak $(rss VmHWM)"
wait $LOAD
grep -E "^ +(50|99)%|Requests/sec" "$WORK/wrk.out"
echo "server RSS at the end $(rss VmRSS), peak $(rss VmHWM)"
rm -f "$WORK"/batch-*.json
