#!/usr/bin/env bash
# Payments and points screens over real HTTP: the release server on a fresh demo SQLite file,
# 山田 太郎 signed in, 200 calls each of the schedule (`payments`) and the points view (`points`).
# Prints median and p95 in milliseconds; nothing is asserted. Needs `cargo leptos build --release --split --precompress`.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-3977}
source bench/release-server.sh
curl -sf -c "$dir/cookies" -H "Origin: $base" -d 'user_id=demotaro&password=Portal2026demo' \
  "$base/api/sign_in" -o /dev/null
for endpoint in payments points; do
  for _ in $(seq 1 200); do
    curl -sf -b "$dir/cookies" -H "Origin: $base" -X POST "$base/api/$endpoint" -o /dev/null -w '%{time_total}\n'
  done | sort -n | awk -v name="$endpoint" \
    '{ t[NR] = $1 * 1000 } END { printf "%-8s median %.2f ms  p95 %.2f ms  (%d calls)\n", name, t[int(NR / 2)], t[int(NR * 0.95)], NR }'
done
