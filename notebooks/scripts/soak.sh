#!/usr/bin/env bash
# Executes every lesson notebook N times in a row while another Maven build loads the machine,
# and prints each lesson's times (median, min, max) and every claim that did not hold.
#   notebooks/scripts/soak.sh [N=5] [LOAD_CMD]
# LOAD_CMD (default: the engine's and visualizer's 'mvn verify' in a scratch clone, repeated until
# the soak ends) runs in the background for the whole soak. The notebooks run through
# NotebookExecutionTest, exactly as CI runs them; results land in notebooks/target/soak/.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
out="notebooks/target/soak"
rm -rf "$out" && mkdir -p "$out"

load_dir=""
if [[ -n "${2:-}" ]]; then
  load_cmd="$2"
else
  load_dir="$(mktemp -d /tmp/kallisto-soak-load.XXXXXX)"
  git clone -q . "$load_dir/repo"
  load_cmd="cd '$load_dir/repo' && mvn -B -ntp -q -pl engine,visualizer -am verify -Dsurefire.printSummary=false"
fi
( while true; do bash -c "$load_cmd" >/dev/null 2>&1 || true; done ) &
load_pid=$!
cleanup() {
  kill -- -"$load_pid" 2>/dev/null || kill "$load_pid" 2>/dev/null || true
  pkill -f "kallisto-soak-load" 2>/dev/null || true
  [[ -n "$load_dir" ]] && rm -rf "$load_dir"
}
trap cleanup EXIT
echo "load: $load_cmd (pid $load_pid)"

for i in $(seq 1 "$runs"); do
  started=$(date +%s)
  if mvn -B -ntp -q -pl notebooks -am test -Dtest=NotebookExecutionTest \
      -Dsurefire.failIfNoSpecifiedTests=false >"$out/run-$i.log" 2>&1; then
    status=passed
  else
    status=FAILED
  fi
  cp notebooks/target/executed-notebooks/claims.txt "$out/claims-$i.txt" 2>/dev/null || true
  echo "run $i/$runs: $status in $(( $(date +%s) - started )) s, load average $(cut -d' ' -f1 /proc/loadavg)"
done

echo
echo "per lesson, seconds over $runs runs (median, min, max):"
cat "$out"/claims-*.txt | awk -F': ' '/\.ipynb: [0-9]+ s/ {split($2, t, " "); print $1, t[1]}' \
  | sort -k1,1 -k2,2n | awk '
    { v[$1] = v[$1] " " $2; n[$1]++ }
    END { for (k in v) { split(substr(v[k], 2), a, " "); m = n[k];
          med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2;
          printf "  %-40s median %s  min %s  max %s  (%d runs)\n", k, med, a[1], a[m], m } }' | sort
echo
echo "claims that did not hold (design ones fail the run; environment ones are reported):"
grep -h "not this time" "$out"/claims-*.txt | sed 's/^ */  /' | sort | uniq -c || echo "  none"
