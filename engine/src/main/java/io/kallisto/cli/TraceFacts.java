package io.kallisto.cli;

import io.kallisto.trace.TraceEnd;
import io.kallisto.trace.TraceFile;
import java.util.Locale;

/** Two facts every view of a trace states, worded once: how far its header is checked, and
 * whether the recording was whole. */
final class TraceFacts {
  private TraceFacts() {}

  /** {@code "header checked"}, or, for version 1, that nothing checks its facts. */
  static String headerCheck(TraceFile trace) {
    return trace.headerChecked() ? "header checked (CRC32)"
        : "no header check: version " + trace.version() + " files carry no header checksum";
  }

  /**
   * How the recording ended: {@code "complete"}, {@code "interrupted by SIGTERM after 4.4 s of
   * 30 s, cut at 123 ns"}, or why that is not known.
   */
  static String ending(TraceFile trace) {
    TraceEnd end = trace.end();
    if (end != null) {
      return end.interrupted() ? String.format(Locale.ROOT, "%s; cut %.3f s after the first"
          + " event (at %d ns)", end.describe(), (end.time() - trace.firstTime()) / 1e9,
          end.time()) : end.describe();
    }
    if (!trace.headerChecked()) {
      return "not recorded (version " + trace.version() + " files do not say how they ended)";
    }
    return "not closed: no end block (the writer was killed or crashed, or the file was cut"
        + " short); what is here may not be the whole run";
  }
}
