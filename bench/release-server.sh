# Sourced by the benchmarks: starts the release server on a fresh demo SQLite file in a temporary
# folder, on port $port, with any extra environment given as arguments, stops it and removes the
# folder on exit, and waits until it answers. Sets $dir, $base and $server.
dir=$(mktemp -d)
base="http://localhost:$port"
env DATABASE_URL="sqlite://$dir/portal.db" PORTAL_DEMO=1 PORTAL_DATA_DIR="$dir" \
  LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_OUTPUT_NAME=portal LEPTOS_SITE_ROOT=target/site \
  LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true RUST_LOG=warn "$@" \
  target/release/portal-server > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do curl -sf "$base/" -o /dev/null && break; sleep 0.5; done
