#!/usr/bin/env bash
# Fuzzes the ingest API from its own OpenAPI document with schemathesis (PyPI): hundreds of
# generated requests, valid and broken; no answer may be a 5xx, and answers must match the
# document (the checks that expect schema-valid events to be accepted are left out: an event
# for an unknown customer is valid JSON but refused by design). Needs a built server binary
# (target/debug/customer-profiles, or CP_BINARY).
#   scripts/schemathesis.sh                 a fresh SQLite database
#   scripts/schemathesis.sh postgres://…    that (empty) PostgreSQL database
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CP_BINARY:-${CARGO_TARGET_DIR:-target}/debug/customer-profiles}
VERSION=4.32.5
ST="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/schemathesis"
if ! "$ST" --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --break-system-packages "schemathesis==$VERSION"
fi

DIR=$(mktemp -d /tmp/cp-schemathesis.XXXXXX)
DB=${1:-"sqlite://$DIR/st.db"}
"$BIN" --database-url "$DB" seed --customers 20 --seed 3 >/dev/null
KEY=$("$BIN" --database-url "$DB" create-api-key --name schemathesis | tail -n1)
"$BIN" --database-url "$DB" serve --listen 127.0.0.1:0 >"$DIR/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
BASE=""
for _ in $(seq 1 100); do
  BASE=$(grep -o 'listening on http://[0-9.:]*' "$DIR/log" | sed 's/listening on //' || true)
  [ -n "$BASE" ] && break
  sleep 0.1
done
[ -n "$BASE" ] || { cat "$DIR/log"; echo "server did not start"; exit 1; }

# The key is given for the document's `apiKey` scheme (not as a bare header), so the check that
# an operation refuses a request without it can take it away.
printf '[auth.openapi.apiKey]\napi_key = "%s"\n' "$KEY" > "$DIR/schemathesis.toml"
"$ST" --config-file "$DIR/schemathesis.toml" run "$BASE/api/v1/openapi.json" --url "$BASE" \
  --checks all --exclude-checks negative_data_rejection,positive_data_acceptance \
  --max-examples "${ST_EXAMPLES:-100}" --workers 1 --no-color
