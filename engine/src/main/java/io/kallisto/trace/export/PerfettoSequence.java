package io.kallisto.trace.export;

import java.util.HashMap;
import java.util.Map;

/**
 * One trusted packet sequence of a Perfetto export ({@code trusted_packet_sequence_id}): what
 * a reader keeps per sequence, mirrored by the writer. Interning tables are per sequence, and
 * so are the defaults (the track of events that name none, and the clock of timestamps) and the
 * incremental clock whose reading is the time of the sequence's last packet timed on it.
 *
 * <p>The exporter gives each sequence events of one track in time order (a thread's nested
 * slices, a counter track, a client request lane), so that most timestamps are small deltas
 * and most events leave the track to the default. The exporter's thread only.
 */
final class PerfettoSequence {
  /** The {@code trusted_packet_sequence_id}, from 1. */
  final int id;
  /** The track of every event on the sequence that names none; 0 for none. */
  final long track;
  final Map<String, Long> names = new HashMap<>();
  final Map<String, Long> categories = new HashMap<>();
  final Map<String, Long> annotationNames = new HashMap<>();
  final Map<String, Long> annotationValues = new HashMap<>();
  /** The incremental clock's reading: trace nanoseconds of the last packet timed on it. */
  long clock;

  PerfettoSequence(int id, long track) {
    this.id = id;
    this.track = track;
  }
}
