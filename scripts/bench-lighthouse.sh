#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices) of a customer's profile page,
# signed in as a care agent, in Debian's Chromium: as a desktop (Lighthouse's desktop preset),
# as a tablet (768×1024 under Lighthouse's mobile throttling: 4× CPU slowdown, slow 4G) and as
# Lighthouse's default phone (412 px wide, same throttling). Reports go to $BENCH_DIR.
#
#   cargo leptos build --release --precompress --split
#   scripts/bench-lighthouse.sh [DATABASE_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${1:-}" ] && DB=$1
CUSTOMERS=${CUSTOMERS:-10000}
. scripts/bench/server.sh
(cd scripts/bench/lighthouse && [ -d node_modules/lighthouse ] || npm ci --no-audit --no-fund >/dev/null)
ID=$(sample 1 | cut -d' ' -f1)
URL="$BASE/customers/$ID"
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$(mktemp -d)"
for form in desktop tablet phone; do
  case $form in
    desktop) preset=(--preset=desktop) ;;
    tablet) preset=(--screenEmulation.width=768 --screenEmulation.height=1024 --screenEmulation.deviceScaleFactor=2) ;;
    phone) preset=() ;;
  esac
  CHROME_PATH=/usr/bin/chromium scripts/bench/lighthouse/node_modules/.bin/lighthouse "$URL" \
    "${preset[@]}" --only-categories=performance,accessibility,best-practices \
    --extra-headers="{\"Cookie\": \"$COOKIE\"}" --chrome-flags="$FLAGS" \
    --output=json --output=html --output-path="$WORK/lighthouse-$form" --quiet
  node -e '
    const r = require(process.argv[1]);
    const s = Object.values(r.categories).map((c) => `${c.title} ${Math.round(c.score * 100)}`).join(", ");
    const a = r.audits;
    console.log(`${process.argv[2]}: ${s}; FCP ${a["first-contentful-paint"].displayValue}, LCP ${a["largest-contentful-paint"].displayValue}, TBT ${a["total-blocking-time"].displayValue}, CLS ${a["cumulative-layout-shift"].displayValue}`);
  ' "$WORK/lighthouse-$form.report.json" "$form"
done
echo "reports: $WORK/lighthouse-{desktop,tablet,phone}.report.html"
