package io.kallisto.visualizer;

import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.Tracing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests a server finished, read straight from the trace file's records, to check what
 * the visualizer finds: each server-side request end, with the kind its begin recorded.
 */
public record DirectRequests(List<long[]> ends, List<Long> answered) {
  /** Kind code of a sleep request, as the protocol records it. */
  public static final int SLEEP = 2;

  /**
   * Reads {@code trace}. Each entry of {@link #ends()} is {id, kind, end time}; {@link
   * #answered()} holds the ids of the responses a client received.
   */
  public static DirectRequests of(Path trace) {
    Map<Integer, long[]> open = new HashMap<>(); // per thread: {id, kind}
    List<long[]> ends = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    try (TraceFile f = TraceFile.open(trace)) {
      f.forEach(e -> {
        if (e.kind() == Tracing.CLIENT_SIDE) {
          if (e.type() == EventType.REQUEST_END) {
            answered.add(e.a());
          }
          return;
        }
        if (e.type() == EventType.REQUEST_BEGIN) {
          open.put(e.thread(), new long[] {e.a(), e.small()});
        } else if (e.type() == EventType.REQUEST_END) {
          long[] begun = open.remove(e.thread());
          long kind = begun != null && begun[0] == e.a() ? begun[1] : -1;
          ends.add(new long[] {e.a(), kind, e.time()});
        }
      });
    }
    return new DirectRequests(ends, answered);
  }

  /** Requests of kind {@code kind} that ended. */
  public long ofKind(int kind) {
    return ends.stream().filter(r -> r[1] == kind).count();
  }

  /** Requests with id {@code id} that ended. */
  public long withId(long id) {
    return ends.stream().filter(r -> r[0] == id).count();
  }

  /** Responses to requests of kind {@code kind} that a client received. */
  public long answeredOfKind(int kind) {
    java.util.Set<Long> ofKind = new java.util.HashSet<>();
    for (long[] r : ends) {
      if (r[1] == kind) {
        ofKind.add(r[0]);
      }
    }
    return answered.stream().filter(ofKind::contains).count();
  }

  /** Responses to request {@code id} that a client received. */
  public long answeredWithId(long id) {
    return answered.stream().filter(a -> a == id).count();
  }
}
