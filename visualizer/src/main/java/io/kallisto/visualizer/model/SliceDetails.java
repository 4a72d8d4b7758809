package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the details panel says about a selected slice, as ordered name/value pairs: kind, label,
 * thread, start, duration, and per kind the queueing delay of a post (with the wakeup it wrote
 * or avoided), the lateness of a timer, the fd of a file event.
 */
public final class SliceDetails {
  /** One line of the details. */
  public record Entry(String name, String value) {}

  /** Names of the entries, for lookups and tests. */
  public static final String KIND = "Kind";
  public static final String LABEL = "Label";
  public static final String THREAD = "Thread";
  public static final String START = "Start";
  public static final String DURATION = "Duration";
  public static final String QUEUEING_DELAY = "Queueing delay";
  public static final String POSTED_BY = "Posted by";
  public static final String WAKEUP = "Wakeup";
  public static final String LATENESS = "Lateness";
  public static final String DEADLINE = "Deadline";

  private SliceDetails() {}

  /** The label shown for a slice: its string, or what it is when it has none. */
  public static String labelOf(TraceModel model, Lane lane, int i) {
    if (lane.category(i) == SliceCategory.REQUEST) {
      return requestKind(lane.aux(i)) + " request";
    }
    String label = model.string(lane.labelId(i));
    if (!label.isEmpty()) {
      return label;
    }
    switch (lane.category(i)) {
      case POLL_WAIT:
        return "poll wait";
      case POLL:
        return "poll";
      case WORK:
        return "work";
      default:
        return lane.category(i).label();
    }
  }

  /**
   * A request slice's aux value: the request's kind (as the protocol codes it) in the top byte,
   * its id below.
   */
  static long requestAux(int kind, long id) {
    return (long) (kind & 0xff) << 56 | (id & 0x00ff_ffff_ffff_ffffL);
  }

  private static long requestId(long aux) {
    return aux & 0x00ff_ffff_ffff_ffffL;
  }

  private static String requestKind(long aux) {
    switch ((int) (aux >>> 56)) {
      case 0:
        return "echo";
      case 1:
        return "cpu";
      case 2:
        return "sleep";
      default:
        return "kind " + (aux >>> 56);
    }
  }

  /** The entries for {@code ref}. */
  public static List<Entry> of(TraceModel model, SliceRef ref) {
    Lane lane = model.lanes().get(ref.lane());
    int i = ref.slice();
    long origin = model.firstTime();
    List<Entry> out = new ArrayList<>();
    SliceCategory c = lane.category(i);
    out.add(new Entry(KIND, c.label()));
    out.add(new Entry(LABEL, labelOf(model, lane, i)));
    out.add(new Entry(THREAD, lane.name()));
    out.add(new Entry(START, TimeFormat.precise(lane.start(i) - origin)));
    out.add(new Entry(DURATION, TimeFormat.duration(lane.duration(i))));
    switch (c) {
      case POST_CALLBACK:
      case SLOT_CALLBACK: {
        Flow cause = Flows.cause(model, ref);
        if (cause == null) {
          out.add(new Entry(QUEUEING_DELAY, lane.aux(i) == 0 ? "unknown (the post queue does not"
              + " number its tasks)" : "unknown (the post is not in the trace)"));
        } else {
          out.add(new Entry(QUEUEING_DELAY, TimeFormat.duration(cause.toTime() - cause.fromTime())));
          out.add(new Entry(POSTED_BY, model.lanes().get(cause.fromLane()).name() + " at "
              + TimeFormat.precise(cause.fromTime() - origin)));
          if (!cause.slot()) {
            out.add(new Entry(WAKEUP, cause.wakeup() ? "written (the loop was asleep)"
                : "avoided (the loop was awake)"));
          }
        }
        out.add(new Entry("Flow id", Long.toString(lane.aux(i))));
        break;
      }
      case TIMER_CALLBACK:
        out.add(new Entry(DEADLINE, TimeFormat.precise(lane.aux(i) - origin)));
        out.add(new Entry(LATENESS, TimeFormat.duration(lane.start(i) - lane.aux(i))));
        break;
      case FILE_CALLBACK:
        out.add(new Entry("fd", Long.toString(lane.aux(i))));
        break;
      case REQUEST:
        out.add(new Entry("Request id", Long.toString(requestId(lane.aux(i)))));
        break;
      case POLL_WAIT:
      case POLL:
        out.add(new Entry("Blocking", c == SliceCategory.POLL_WAIT ? "yes" : "no"));
        if (lane.aux(i) != 0) {
          out.add(new Entry("Next timer", TimeFormat.precise(lane.aux(i) - origin)));
        }
        break;
      default:
        break;
    }
    return Collections.unmodifiableList(out);
  }

  /** The value of entry {@code name} in {@code entries}, or {@code null}. */
  public static String value(List<Entry> entries, String name) {
    for (Entry e : entries) {
      if (e.name().equals(name)) {
        return e.value();
      }
    }
    return null;
  }
}
