#!/usr/bin/env bash
# Lighthouse (npm lighthouse 12.2.3, which runs on Node 20) in Debian's Chromium, mobile emulation,
# on the sign-in page and on home signed in as 山田 太郎: prints the four scores of each. Nothing is
# asserted. Installs Lighthouse into target/lighthouse the first time; needs
# `cargo leptos build --release --split --precompress` (BENCH_SKIP_BUILD=1 uses the last build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || cargo leptos build "${RELEASE_FLAGS[@]}" >/dev/null
tools=target/lighthouse
[ -x "$tools/node_modules/.bin/lighthouse" ] ||
  (mkdir -p "$tools" && cd "$tools" && npm install --no-audit --no-fund --silent lighthouse@12.2.3)
port=${BENCH_PORT:-3980}
source bench/release-server.sh
session=$(curl -sf -D - -o /dev/null -H "Origin: $base" -d 'user_id=demotaro&password=Portal2026demo' \
  "$base/api/sign_in" | awk -F'[=;]' 'tolower($0) ~ /^set-cookie: portal_session=/ { print $2 }')
run() {
  local name=$1 path=$2 headers=$3
  CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "$base$path" --quiet \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync" \
    --extra-headers="$headers" --output=json --output-path="$dir/$name.json" >/dev/null 2>&1 || true
  node -e '
    const r = require(process.argv[1]);
    const s = (k) => Math.round((r.categories[k]?.score ?? 0) * 100);
    const a = (k) => r.audits[k]?.displayValue ?? "";
    console.log(`${process.argv[2].padEnd(8)} performance ${s("performance")}, accessibility ${s("accessibility")}, best practices ${s("best-practices")}, SEO ${s("seo")}; LCP ${a("largest-contentful-paint")}, TBT ${a("total-blocking-time")}`);
  ' "$dir/$name.json" "$name"
}
run sign-in / '{}'
run home /home "{\"Cookie\": \"portal_session=$session\"}"
