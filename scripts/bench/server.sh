# Sourced by the bench scripts: seeds the database named by $DB when it is empty, starts the
# release server on a free loopback port ($BASE, $SERVER; stopped on exit), signs in ($COOKIE)
# and reports the server's memory (rss VmRSS | VmHWM).
BIN=${CARGO_TARGET_DIR:-target}/release/customer-profiles
[ -x "$BIN" ] || { echo "no release build: run cargo leptos build --release --precompress --split first" >&2; exit 1; }
WORK=${BENCH_DIR:-/tmp/cp-bench}
mkdir -p "$WORK"
DB=${DB:-sqlite://$WORK/bench.db}
CUSTOMERS=${CUSTOMERS:-100000}

if "$BIN" --database-url "$DB" seed --customers "$CUSTOMERS" 2>"$WORK/seed.err"; then
  echo "seeded $CUSTOMERS customers with their history into $DB"
elif ! grep -q "already has" "$WORK/seed.err"; then
  cat "$WORK/seed.err" >&2; exit 1
fi

# Without the analytics refresh and tier expiry jobs, which a fresh database would start at
# once (they are measured on their own: `analytics refresh`, BENCHMARKS.md), and with the
# per-user search allowance lifted: wrk searches as one user thousands of times a minute.
"$BIN" --database-url "$DB" serve --listen 127.0.0.1:0 --no-background-jobs \
  --searches-per-minute 1000000000 >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 150); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.2; done
BASE=$(grep -o "listening on http://[0-9.:]*" "$WORK/server.log" | head -n1 | cut -d' ' -f3)
[ -n "$BASE" ] || { cat "$WORK/server.log" >&2; exit 1; }

rss() { awk -v f="$1" '$1 == f":" { printf "%.0f MB", $2 / 1024 }' "/proc/$SERVER/status"; }

COOKIE=$(curl -s -D - -o /dev/null -H "Origin: $BASE" \
  --data-urlencode email=agent@demo.test --data-urlencode password=customer-care-demo \
  --data-urlencode next=/ "$BASE/api/sign_in" | grep -io 'cp_session=[^;]*' | head -n1)
[ -n "$COOKIE" ] || { echo "sign-in as agent@demo.test failed" >&2; exit 1; }

# `sample N`: N random customers as "id phone" lines.
sample() {
  local sql="SELECT id || ' ' || COALESCE(phone, '') FROM customers ORDER BY random() LIMIT $1"
  case "$DB" in
    sqlite://*) sqlite3 "${DB#sqlite://}" "$sql" ;;
    *) psql -At "$DB" -c "$sql" ;;
  esac
}
