package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Each thread's state at one instant, for the replay panel: what it was doing (idle, polling,
 * in loop work, in a callback named X), its post queue depth and its open connections.
 */
public final class CursorState {
  /**
   * One thread at the cursor.
   *
   * @param queueDepth the last sampled post batch size, or -1 if the thread samples none
   * @param connections connections open on the thread, or -1 if it opened none
   */
  public record LaneState(int lane, String name, String state, long queueDepth, long connections) {}

  private CursorState() {}

  /** The state of every lane at {@code t}. */
  public static List<LaneState> at(TraceModel model, long t) {
    List<LaneState> out = new ArrayList<>();
    for (Lane lane : model.lanes()) {
      Series depth = lane.counters().get(TraceModelLoader.QUEUE_DEPTH);
      long d = depth == null ? -1 : Math.max(0, depth.valueAt(t));
      long c = lane.connections() == null ? -1 : Math.max(0, lane.connections().valueAt(t));
      out.add(new LaneState(lane.index(), lane.name(), stateOf(model, lane, t), d, c));
    }
    return Collections.unmodifiableList(out);
  }

  /** What {@code lane} was doing at {@code t}: the innermost slice other than a user span. */
  static String stateOf(TraceModel model, Lane lane, long t) {
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
