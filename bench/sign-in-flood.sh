#!/usr/bin/env bash
# Memory and throughput under a sign-in flood: the release server on a fresh demo SQLite file with
# PORTAL_MAX_CONCURRENT_HASHES=4, then 500 sign-ins at once (unknown user IDs, so each verifies the
# decoy hash and nothing locks). Prints resident memory idle, at its peak and 5 s after, sign-ins
# per second, and that rate against `cores / one argon2id verify` of the C reference (Debian's
# `argon2`, when installed). Nothing is asserted. Needs `cargo leptos build --release --split --precompress`.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-3978}
flood=${BENCH_FLOOD:-500}
source bench/release-server.sh PORTAL_MAX_CONCURRENT_HASHES=4 PORTAL_RATE_SIGN_IN_PER_MIN=1000000
sleep 2

python3 - "$server" "$base" "$flood" <<'PY'
import sys, threading, time, urllib.request, concurrent.futures

pid, base, flood = sys.argv[1], sys.argv[2], int(sys.argv[3])

def rss_mib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

def sign_in(i):
    body = f"user_id=flood{i}&password=wrong-password-{i}".encode()
    req = urllib.request.Request(f"{base}/api/sign_in", data=body, headers={"Origin": base})
    with urllib.request.urlopen(req, timeout=600) as res:
        res.read()
        return res.status

idle = rss_mib()
peak = idle
done = threading.Event()
def sample():
    global peak
    while not done.is_set():
        peak = max(peak, rss_mib())
        time.sleep(0.02)
sampler = threading.Thread(target=sample)
sampler.start()
start = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(max_workers=flood) as pool:
    statuses = list(pool.map(sign_in, range(flood)))
elapsed = time.monotonic() - start
done.set()
sampler.join()
time.sleep(5)
after = rss_mib()
ok = sum(1 for s in statuses if s == 200)
print(f"sign-ins      {flood} at once, {ok} answered, {elapsed:.1f} s, {flood / elapsed:.1f} per second")
print(f"resident      idle {idle:.0f} MiB, peak {peak:.0f} MiB (+{peak - idle:.0f}), 5 s after {after:.0f} MiB (+{after - idle:.0f})")
with open("/tmp/portal-flood-rate", "w") as f:
    f.write(f"{flood / elapsed}")
PY

if command -v argon2 >/dev/null; then
  verify=$(for _ in 1 2 3 4 5; do echo -n "wrong-password-1" | argon2 portalbenchsalt -id -t 2 -k 19456 -p 1 | awk '/seconds/ { print $1 }'; done | sort -n | sed -n 3p)
  cores=$(nproc)
  python3 -c "
rate = float(open('/tmp/portal-flood-rate').read())
ideal = $cores / $verify
print(f'reference     one verify of the C reference {$verify * 1000:.0f} ms, {$cores} cores: {ideal:.1f} per second; portal {rate / ideal:.2f} x that')
"
fi
