/**
 * Experiments that explain a benchmark figure, not part of the standard set. Each is a
 * {@link io.kallisto.event.PostQueue} or loop variant plugged into Kallisto through its public
 * seams, so that a suspected cause can be measured without changing the engine. Select them
 * with {@code -p loop=...} on {@code PostThroughputBenchmark}; see BENCHMARKS.md.
 */
package io.kallisto.bench.diagnosis;
