#!/usr/bin/env bash
# Runs Kallisto's standard benchmark set and prints the ratio tables. About 14 minutes on two
# cores (the loopback echo in step 2 takes about 2 of them).
#
#   bench/run-standard.sh              # from the repository root; builds the jar if it is missing
#   bench/run-standard.sh --tracing    # also step 4, what tracing costs (about 4 minutes more)
#
# Steps: (1) the C floor for the native-call figures, (2) every benchmark with the JVM free to use
# all CPUs, loopback echo included, (3) ping-pong again with the JVM pinned to CPU 0 (taskset;
# JMH's forks inherit it), (4) with --tracing, the tracing benchmarks, Kallisto only, echo
# included (see BENCHMARKS.md, "Tracing" and "Echo over loopback").
# Results land in bench/target/bench-results/: standard-free.md, standard-pinned.md,
# standard-tracing.md, the JMH JSON and the per-iteration side figures.
set -euo pipefail

with_tracing=0
for arg in "$@"; do
  case "$arg" in
    --tracing) with_tracing=1 ;;
    *) echo "run-standard.sh: unknown argument '$arg'; the only option is --tracing" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
OUT=bench/target/bench-results
mkdir -p "$OUT"

if [[ ! -f "$JAR" ]]; then
  mvn -B -q -DskipTests package -pl bench -am
fi

{
  echo "# machine: $(nproc) CPUs, $(uname -srm)"
  java -version 2>&1 | sed 's/^/# /'
} | tee "$OUT/machine.txt"

if command -v cc >/dev/null; then
  cc -O2 -o "$OUT/cfloor" bench/native/cfloor.c
  "$OUT/cfloor" | tee "$OUT/cfloor.tsv"
else
  echo "no C compiler: the native figures will have no C floor" >&2
  rm -f "$OUT/cfloor.tsv"
fi

java -cp "$JAR" io.kallisto.bench.StandardRun --out "$OUT" 2>&1 | tee "$OUT/log-free.txt"
taskset -c 0 java -cp "$JAR" io.kallisto.bench.StandardRun --pinned --out "$OUT" 2>&1 \
  | tee "$OUT/log-pinned.txt"
tables=("$OUT/standard-free.md" "$OUT/standard-pinned.md")
if ((with_tracing)); then
  java -cp "$JAR" io.kallisto.bench.StandardRun --tracing --out "$OUT" 2>&1 \
    | tee "$OUT/log-tracing.txt"
  tables+=("$OUT/standard-tracing.md")
fi

echo
cat "${tables[@]}"
