#!/usr/bin/env bash
# Opens Chrome JSON exports in speedscope 1.25.0 (npm) inside headless Chromium (Debian's
# /usr/bin/chromium, package chromium) and prints one JSON line per file: imported or not, how
# long it took, speedscope's console warnings and any page error. Needs npm and chromium; the
# node modules go into bench/viewers/node_modules (not committed).
#   bench/viewers/check-speedscope.sh run.json other.json
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ $# -ge 1 ]] || { echo "usage: $0 FILE.json..." >&2; exit 2; }
command -v /usr/bin/chromium >/dev/null || { echo "needs /usr/bin/chromium (apt-get install chromium)" >&2; exit 2; }
(cd "$here" && [[ -d node_modules/speedscope ]] || npm install --no-audit --no-fund --silent)
serve="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$serve"' EXIT
ln -s "$here/node_modules/speedscope/dist/release" "$serve/speedscope"
mkdir "$serve/files"
names=()
for f in "$@"; do
  [[ -f "$f" ]] || { echo "$f: no such file" >&2; exit 2; }
  ln -s "$(readlink -f "$f")" "$serve/files/$(basename "$f")"
  names+=("$(basename "$f")")
done
port=$((20000 + RANDOM % 20000))
(cd "$serve" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/speedscope/index.html" >/dev/null && break
  sleep 0.1
done
node "$here/check-speedscope.mjs" "$port" "${names[@]}"
