#!/usr/bin/env bash
# Installs what is missing, builds, and runs the console at http://127.0.0.1:3000 on the
# embedded SQLite database (./data/customer-profiles.db), seeding 2,000 demo customers on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --release
export PATH="$HOME/.cargo/bin:$PATH"
cargo leptos build --release --precompress --split
exec "${CARGO_TARGET_DIR:-target}"/release/customer-profiles serve --demo-customers "${DEMO_CUSTOMERS:-2000}" "$@"
