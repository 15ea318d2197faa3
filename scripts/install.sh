#!/usr/bin/env bash
# Installs what building and running the app needs, skipping what is already there.
#   scripts/install.sh          toolchain: wasm32 target, cargo-leptos, wasm-bindgen-cli
#   scripts/install.sh --release  also wasm-opt (for `cargo leptos build --release`)
#   scripts/install.sh --tests  also Chromium + chromedriver, PostgreSQL, the end2end npm packages,
#                               the JDK with JUnit 4 (the Android SDK's tests), Mono with NUnit 2.6
#                               (the .NET SDK's tests)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# cargo-leptos 0.3.11 (newest) needs rustc 1.96; 0.3.4 is the newest that builds on 1.95. It is
# built from its crates.io source with scripts/cargo-leptos-0.3.4.lock: the lock file it ships
# has wasm_split_cli_support 0.2.0, whose splitter does not know wasm-bindgen 0.2.128's
# renamed cast descriptor, so a lazily loaded screen that makes a JS closure failed to load
# ("__wbindgen_placeholder__"); ours has 0.2.4 (and the rayon it needs).
CARGO_LEPTOS_VERSION=0.3.4
CARGO_LEPTOS_BUILD="$CARGO_LEPTOS_VERSION with wasm_split_cli_support 0.2.4"
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')

rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown

marker="$HOME/.cargo/cargo-leptos.build"
if [ "$(cat "$marker" 2>/dev/null)" != "$CARGO_LEPTOS_BUILD" ]; then
  command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }
  source_dir=$(mktemp -d)
  curl -sSfL "https://static.crates.io/crates/cargo-leptos/cargo-leptos-$CARGO_LEPTOS_VERSION.crate" \
    | tar xz -C "$source_dir"
  cp "scripts/cargo-leptos-$CARGO_LEPTOS_VERSION.lock" \
    "$source_dir/cargo-leptos-$CARGO_LEPTOS_VERSION/Cargo.lock"
  cargo install --locked --force --path "$source_dir/cargo-leptos-$CARGO_LEPTOS_VERSION"
  rm -rf "$source_dir"
  echo "$CARGO_LEPTOS_BUILD" >"$marker"
fi
# cargo-leptos would download wasm-bindgen from GitHub; install the exact version from crates.io.
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "${1:-}" = "--tests" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  command -v node >/dev/null || missing+=(nodejs npm)
  command -v javac >/dev/null || missing+=(default-jdk-headless)
  [ -f /usr/share/java/junit4.jar ] || missing+=(junit4)
  command -v mcs >/dev/null || missing+=(mono-devel)
  command -v nunit-console >/dev/null || missing+=(nunit-console)
  [ -f /usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll ] || missing+=(libnunit-framework2.6.3-cil)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
  (cd end2end && { [ -d node_modules ] || npm ci --no-audit --no-fund; })
fi

# Release builds (and the test command's bundle-size check) run wasm-opt: npm's binaryen
# (Debian's binaryen 108 is too old; the crates.io build takes ten minutes).
if { [ "${1:-}" = "--release" ] || [ "${1:-}" = "--tests" ]; } && ! command -v wasm-opt >/dev/null; then
  command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
  npm install -g binaryen@132.0.0
fi
