#!/usr/bin/env bash
# What the sign-in page downloads before it is idle: every response Chromium receives (the page, the
# wasm, its JS glue, styles, any chunk it loads), with its raw size and its size compressed with
# brotli (quality 11, as precompressed assets would be), and the total. Nothing is asserted.
# Builds with `cargo leptos build --release --split --precompress` (BENCH_SKIP_BUILD=1 uses the last build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || cargo leptos build "${RELEASE_FLAGS[@]}" >/dev/null
port=${BENCH_PORT:-3979}
source bench/release-server.sh
(cd end2end && BASE="$base" node - <<'JS'
const { chromium } = require("@playwright/test");
const zlib = require("zlib");
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  const files = [];
  page.on("response", async (res) => {
    try {
      const body = await res.body();
      const br = zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
      files.push({ url: new URL(res.url()).pathname, raw: body.length, br: br.length });
    } catch (_) { /* redirects and aborted requests carry no body */ }
  });
  await page.goto(process.env.BASE + "/", { waitUntil: "networkidle" });
  await page.waitForSelector("body[data-hydrated]");
  await page.waitForLoadState("networkidle");
  await browser.close();
  let raw = 0, br = 0;
  for (const f of files) {
    raw += f.raw; br += f.br;
    console.log(`${f.url.padEnd(48)} ${String(f.raw).padStart(10)} B raw ${String(f.br).padStart(9)} B brotli`);
  }
  console.log(`${"total".padEnd(48)} ${String(raw).padStart(10)} B raw ${String(br).padStart(9)} B brotli`);
})();
JS
)
