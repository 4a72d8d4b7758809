package io.kallisto.trace.export;

import io.kallisto.trace.TraceEvent;

/**
 * What an export format writes, as {@link ExportStream} hands it the trace: slices in nesting
 * order per thread, everything else as it is read. Called on the exporting thread only; events
 * passed in are reused after the call unless the method says otherwise.
 */
interface ExportSink extends SliceOrder.Sink {
  /** An instant that stays an instant: timer changes, connections, marks, watchdog events. */
  void instant(TraceEvent e);

  /** A recorded counter sample. */
  void counter(TraceEvent e);

  /**
   * A request seen from the load generator: {@code begin} (a copy the sink may keep) to
   * {@code end}, on the client's thread, where requests overlap.
   */
  void clientRequest(TraceEvent begin, TraceEvent end);

  /** One value of a counter the trace does not record (see {@link DerivedCounters}). */
  void derivedCounter(String name, DerivedCounters.Point point);
}
