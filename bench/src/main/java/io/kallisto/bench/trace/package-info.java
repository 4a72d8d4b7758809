/**
 * What tracing costs: one event on the recording thread, the check when tracing is off, the
 * loss it causes in ping-pong and post throughput, and how fast a long trace loads. Each
 * benchmark records through a real {@link io.kallisto.trace.Tracing} session into a temporary
 * file that it deletes; {@code StandardRun} prints them in its "Tracing" table. See
 * BENCHMARKS.md, section "Tracing".
 */
package io.kallisto.bench.trace;
