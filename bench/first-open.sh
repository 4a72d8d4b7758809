#!/usr/bin/env bash
# Issue 17's first-open figures on a big trace, each from a fresh JVM (cold; the file in the
# page cache after the first read), three runs of each: when `kallisto view FILE` has its window
# on screen, its block overview drawn and the trace shown (from the launch of ./kallisto), and
# how long `kallisto render` of a 2 ms window takes. Prints one line per run and the medians.
#
#   bench/first-open.sh big.ktrace        # from the repository root; needs xvfb-run and xwininfo
#   bench/first-open.sh                   # records bench/target/big.ktrace first (27 s of
#                                         # baseline-echo, about 12M events and 400 MB)
#
# Window times come from polling the X server every 20 ms (`xwininfo -root -tree`): the window
# is "on screen" when a window named "Kallisto" is mapped, "shown" when its title names the
# file. The overview time is the moment the window says on stderr that it painted the overview,
# which it does when the system property kallisto.view.paintLog is set.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-3}"
trace="${1:-}"
if [[ -z "$trace" ]]; then
  trace=bench/target/big.ktrace
  if [[ ! -f "$trace" ]]; then
    mkdir -p bench/target
    ./kallisto run baseline-echo --duration 27s --trace "$trace"
  fi
fi
[[ -f "$trace" ]] || { echo "first-open.sh: $trace: no such file" >&2; exit 2; }
command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null \
  || { echo "first-open.sh: needs xvfb-run and xwininfo (apt-get install xvfb x11-utils)" >&2; exit 2; }
./kallisto --version >/dev/null # builds first if it must, outside the timings
cat "$trace" >/dev/null         # into the page cache
name="$(basename "$trace")"
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

view_once() {
  local log started mapped="" shown="" overview=""
  log="$(mktemp)"
  started=$(now_ms)
  KALLISTO_JAVA_OPTS="-Dkallisto.view.paintLog=true" ./kallisto view "$trace" 2>"$log" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    local tree
    tree="$(xwininfo -root -tree 2>/dev/null || true)"
    if [[ -z "$mapped" ]] && grep -q '"Kallisto' <<<"$tree"; then mapped=$(( $(now_ms) - started )); fi
    if [[ -z "$shown" ]] && grep -q "Kallisto — $name" <<<"$tree"; then shown=$(( $(now_ms) - started )); break; fi
    (( $(now_ms) - started > 120000 )) && break
    sleep 0.02
  done
  local at
  at=$(sed -n 's/^kallisto: overview painted at \([0-9]*\) ms.*/\1/p' "$log" | head -n1)
  [[ -n "$at" ]] && overview=$(( at - started ))
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
  echo "${mapped:-?} ${overview:-?} ${shown:-?}"
}

echo "trace: $trace ($(stat -c %s "$trace") bytes); $(nproc) CPUs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
maps=(); overviews=(); shows=(); renders=()
for i in $(seq "$runs"); do
  read -r m o s < <(xvfb-run -a -s "-screen 0 1920x1080x24" bash -c "$(declare -f now_ms view_once); trace='$trace' name='$name' view_once")
  echo "view run $i: window on screen $m ms, overview drawn $o ms, trace shown $s ms (from launch)"
  maps+=("$m"); overviews+=("$o"); shows+=("$s")
done
for i in $(seq "$runs"); do
  t0=$(now_ms)
  ./kallisto render "$trace" --from 10s --to 10.002s -o "$(mktemp --suffix=.png)" >/dev/null
  r=$(( $(now_ms) - t0 ))
  echo "render run $i: 2 ms window in $r ms (from launch)"
  renders+=("$r")
done
echo "medians over $runs runs: window $(printf '%s\n' "${maps[@]}" | median) ms," \
  "overview $(printf '%s\n' "${overviews[@]}" | median) ms, shown $(printf '%s\n' "${shows[@]}" | median) ms," \
  "render $(printf '%s\n' "${renders[@]}" | median) ms; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
