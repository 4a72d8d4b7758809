package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Each thread's state at one instant, for the replay panel: what it was doing (idle, polling,
 * in loop work, in a callback named X), its post queue depth and its open connections, and any
 * other counter it recorded. A counter the thread only sampled now and then is never presented
 * as current: its reading says when it was sampled.
 */
public final class CursorState {
  /**
   * One counter's value at the cursor.
   *
   * @param value the value holding at the cursor, or -1 before the first sample
   * @param age how long before the cursor that value was recorded (0: at the cursor)
   * @param sampled true if the thread only sampled the counter, so that it may have moved since
   */
  public record Reading(String name, long value, long age, boolean sampled) {
    /** The reading of {@code series} at {@code t}. */
    static Reading of(String name, Series series, long t) {
      int i = series.indexAt(t);
      // an exact count is 0 before its first change; a sampled one is unknown until sampled
      return i < 0 ? new Reading(name, series.sampled() ? -1 : 0, 0, series.sampled())
          : new Reading(name, series.value(i), t - series.time(i), series.sampled());
    }

    /**
     * As the panel shows it: {@code 123,456}, or for a held sample
     * {@code 7 (sampled 12.3 ms earlier)}; {@code none yet} before the first sample.
     */
    public String text() {
      if (value < 0) {
        return "none yet";
      }
      return Figures.count(value) + note();
    }

    /** {@code " (sampled 12.3 ms earlier)"} for a held sample, else {@code ""}. */
    public String note() {
      return value >= 0 && sampled && age > 0
          ? " (sampled " + TimeFormat.duration(age) + " earlier)" : "";
    }
  }

  /**
   * One thread at the cursor.
   *
   * @param queue its queue depth, or {@code null} if it samples none
   * @param conns connections open on it (exact: counted from every open and close), or
   *     {@code null} if it opened none
   * @param others the other counters it recorded, by name
   */
  public record LaneState(int lane, String name, String state, Reading queue,
      Reading conns, List<Reading> others) {
    /** The queue depth holding at the cursor, or -1 if the thread samples none. */
    public long queueDepth() {
      return queue == null ? -1 : Math.max(0, queue.value());
    }

    /** Connections open on the thread, or -1 if it opened none. */
    public long connections() {
      return conns == null ? -1 : Math.max(0, conns.value());
    }
  }

  private CursorState() {}

  /** The state of every lane at {@code t}. */
  public static List<LaneState> at(TraceModel model, long t) {
    List<LaneState> out = new ArrayList<>();
    for (Lane lane : model.lanes()) {
      Reading queue = null;
      List<Reading> others = new ArrayList<>();
      for (Series s : lane.counters().values()) {
        if (s.name().equals(TraceModelLoader.QUEUE_DEPTH)) {
          queue = Reading.of(s.name(), s, t);
        } else if (!(s.name().equals(TraceModelLoader.OPEN_CONNECTIONS)
            && lane.connections() != null)) {
          others.add(Reading.of(s.name(), s, t)); // not when the exact count is shown
        }
      }
      Reading conns = lane.connections() == null ? null
          : Reading.of("connections", lane.connections(), t);
      out.add(new LaneState(lane.index(), lane.name(), stateOf(model, lane, t), queue, conns,
          Collections.unmodifiableList(others)));
    }
    return Collections.unmodifiableList(out);
  }

  /** What {@code lane} was doing at {@code t}: the innermost slice other than a user span. */
  static String stateOf(TraceModel model, Lane lane, long t) {
    if (lane.holdsClientRequests()) {
      int inFlight = 0; // one per row at most: a row's slices never overlap
      for (int r = 0; r < lane.rowCount(); r++) {
        if (lane.positionAt(r, t) >= 0) {
          inFlight++;
        }
      }
      return inFlight == 0 ? "no request in flight"
          : inFlight == 1 ? "1 request in flight" : inFlight + " requests in flight";
    }
    String span = null;
    String request = null;
    for (int r = lane.rowCount() - 1; r >= 0; r--) {
      int k = lane.positionAt(r, t);
      if (k < 0) {
        continue;
      }
      int i = lane.sliceAt(r, k);
      switch (lane.category(i)) {
        case POLL_WAIT:
          return "idle (waiting in poll)";
        case POLL:
          return "polling";
        case WORK:
          return "loop work";
        case SPAN:
          if (span == null) {
            span = "in span " + SliceDetails.labelOf(model, lane, i);
          }
          break;
        case REQUEST:
          request = SliceDetails.labelOf(model, lane, i);
          break;
        default:
          return "in " + lane.category(i).label() + " " + SliceDetails.labelOf(model, lane, i)
              + (request != null ? ", serving " + request : "");
      }
    }
    return span != null ? span : "idle";
  }
}
