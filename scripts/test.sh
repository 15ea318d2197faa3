#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit, store (SQLite and PostgreSQL),
# HTTP, end2end browser tests in headless Chromium, schemathesis on the ingest API (both
# databases), and the first wasm bundle's size budget (a release build of the browser side).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --tests
export PATH="$HOME/.cargo/bin:$PATH"

# A throwaway PostgreSQL on loopback, owned by the postgres user (it refuses to run as root).
PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n1)")
PG_DIR=$(mktemp -d /tmp/cp-pg.XXXXXX)
PG_PORT=${PG_PORT:-55432}
id postgres >/dev/null 2>&1 || useradd --system --home "$PG_DIR" postgres
chown postgres "$PG_DIR"
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as_postgres "$PG_BIN/initdb -D $PG_DIR/data -U postgres -A trust >/dev/null"
as_postgres "$PG_BIN/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off' -l $PG_DIR/log -w start >/dev/null"
trap 'as_postgres "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop >/dev/null" || true; rm -rf "$PG_DIR"' EXIT
export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

echo "== unit, store and HTTP tests"
cargo test -p app --features ssr
cargo test -p server
cargo check -p server --features bench   # the benchmarks, outside the product binary, still build

echo "== end2end browser tests"
cargo leptos build --split
(cd end2end && node --test --test-concurrency=1 tests/)

echo "== ingest API fuzzed from its OpenAPI document (schemathesis), on SQLite and PostgreSQL"
scripts/schemathesis.sh
as_postgres "psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc 'CREATE DATABASE cp_schemathesis'"
scripts/schemathesis.sh "postgres://postgres@127.0.0.1:$PG_PORT/cp_schemathesis"

echo "== the first wasm bundle stays within its size budget (release build of the browser side)"
scripts/bundle-size.sh
