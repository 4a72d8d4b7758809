package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the details panel says about a selected slice or post, as ordered name/value pairs:
 * kind, label, thread, start, duration, and per kind the queueing delay of a post (with the
 * wakeup it wrote or avoided), the lateness of a timer, the fd of a file event. An entry that
 * names another event (who posted a callback, which callback ran a post) carries a link to it,
 * which the panel shows as something to click.
 */
public final class SliceDetails {
  /**
   * One line of the details.
   *
   * @param slice the slice this entry names, to jump to, or {@code null}
   * @param post the post this entry names, to jump to, or {@code null}
   */
  public record Entry(String name, String value, SliceRef slice, PostRef post) {
    /** An entry that links to nothing. */
    public Entry(String name, String value) {
      this(name, value, null, null);
    }

    /** True if the entry names another event. */
    public boolean isLink() {
      return slice != null || post != null;
    }
  }

  /** Names of the entries, for lookups and tests. */
  public static final String KIND = "Kind";
  public static final String LABEL = "Label";
  public static final String THREAD = "Thread";
  public static final String START = "Start";
  public static final String TIME = "Time";
  public static final String DURATION = "Duration";
  public static final String QUEUEING_DELAY = "Queueing delay";
  public static final String POSTED_BY = "Posted by";
  public static final String SET_BY = "Set by";
  public static final String POSTED_FROM = "Posted from";
  public static final String POSTED_TO = "Posted to";
  public static final String RAN_AS = "Ran as";
  public static final String WAKEUP = "Wakeup";
  public static final String LATENESS = "Lateness";
  public static final String DEADLINE = "Deadline";
  public static final String REQUEST_ID = "Request id";
  public static final String FLOW_ID = "Flow id";

  /** The label of a request slice, by the kind byte the protocol records. */
  private static final String[] REQUEST_LABELS = new String[256];

  static {
    for (int k = 0; k < REQUEST_LABELS.length; k++) {
      REQUEST_LABELS[k] = requestKindName(k) + " request";
    }
    // no kind known: a client side the server never saw, or a server begin before the trace
    REQUEST_LABELS[ClientRequests.UNKNOWN_KIND] = "request";
  }

  private SliceDetails() {}

  /**
   * The label shown for a slice: its string, or what it is when it has none. Allocates
   * nothing: the renderer calls it for every labelled slice it draws.
   */
  public static String labelOf(TraceModel model, Lane lane, int i) {
    SliceCategory c = lane.category(i);
    if (c == SliceCategory.REQUEST) {
      return REQUEST_LABELS[requestKindCode(lane.aux(i))];
    }
    String label = model.string(lane.labelId(i));
    return label.isEmpty() ? fallbackLabel(c) : label;
  }

  /** What a slice without a label of its own is called. */
  static String fallbackLabel(SliceCategory c) {
    switch (c) {
      case POLL_WAIT:
        return "poll wait";
      case POLL:
        return "poll";
      case WORK:
        return "work";
      default:
        return c.label();
    }
  }

  /**
   * A request slice's aux value: the request's kind (as the protocol codes it) in the top byte,
   * its id below.
   */
  static long requestAux(int kind, long id) {
    return (long) (kind & 0xff) << 56 | (id & 0x00ff_ffff_ffff_ffffL);
  }

  /** The id of the request whose slice has {@code aux}. */
  static long requestId(long aux) {
    return aux & 0x00ff_ffff_ffff_ffffL;
  }

  /** The kind byte of the request whose slice has {@code aux}. */
  static int requestKindCode(long aux) {
    return (int) (aux >>> 56);
  }

  /** The label of requests of kind byte {@code kind}: {@code sleep request}. */
  static String requestLabel(int kind) {
    return REQUEST_LABELS[kind & 0xff];
  }

  private static String requestKindName(int kind) {
    switch (kind) {
      case 0:
        return "echo";
      case 1:
        return "cpu";
      case 2:
        return "sleep";
      default:
        return "kind " + kind;
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
          Lane sender = model.lanes().get(cause.fromLane());
          String who = sender.name() + " at " + TimeFormat.precise(cause.fromTime() - origin);
          if (cause.slot()) {
            int made = sender.innermostAt(cause.fromTime());
            out.add(new Entry(SET_BY, who,
                made < 0 ? null : new SliceRef(sender.index(), made), null));
          } else {
            out.add(new Entry(POSTED_BY, who, null,
                new PostRef(cause.fromLane(), cause.fromIndex())));
            out.add(new Entry(WAKEUP, wakeup(cause.wakeup())));
          }
        }
        out.add(new Entry(FLOW_ID, Long.toString(lane.aux(i))));
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
        out.add(new Entry(REQUEST_ID, Long.toString(requestId(lane.aux(i)))));
        RequestDetails.addTo(model, ref, out);
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

  /**
   * The entries for post {@code ref}: who posted it, from which callback, to which thread,
   * whether it wrote a wakeup, and the callback that ran it, with its queueing delay.
   */
  public static List<Entry> of(TraceModel model, PostRef ref) {
    Lane lane = model.lanes().get(ref.lane());
    Instants posts = lane.posts();
    int k = ref.post();
    long origin = model.firstTime();
    List<Entry> out = new ArrayList<>();
    out.add(new Entry(KIND, "post"));
    out.add(new Entry(THREAD, lane.name()));
    out.add(new Entry(TIME, TimeFormat.precise(posts.time(k) - origin)));
    int made = lane.innermostAt(posts.time(k));
    if (made >= 0) {
      out.add(new Entry(POSTED_FROM, labelOf(model, lane, made), new SliceRef(lane.index(), made),
          null));
    }
    int target = model.laneOfDispatcher(posts.id(k));
    out.add(new Entry(POSTED_TO, target < 0 ? "dispatcher " + posts.id(k) + " (no callback of it"
        + " is in the trace)" : model.lanes().get(target).name()));
    out.add(new Entry(WAKEUP, wakeup(posts.kind(k) == 1)));
    Flow f = Flows.ofPost(model, ref);
    if (f != null) {
      Lane t = model.lanes().get(f.toLane());
      out.add(new Entry(RAN_AS, labelOf(model, t, f.toSlice()) + " at "
          + TimeFormat.precise(f.toTime() - origin), new SliceRef(f.toLane(), f.toSlice()), null));
      out.add(new Entry(QUEUEING_DELAY, TimeFormat.duration(f.toTime() - f.fromTime())));
    } else if (target >= 0) {
      out.add(new Entry(RAN_AS, "not in the trace (it ran after the trace ended, or never)"));
    }
    out.add(new Entry(FLOW_ID, Long.toString(posts.b(k))));
    return Collections.unmodifiableList(out);
  }

  private static String wakeup(boolean written) {
    return written ? "written (the loop was asleep)" : "avoided (the loop was awake)";
  }

  /** The value of entry {@code name} in {@code entries}, or {@code null}. */
  public static String value(List<Entry> entries, String name) {
    Entry e = entry(entries, name);
    return e == null ? null : e.value();
  }

  /** Entry {@code name} of {@code entries}, or {@code null}. */
  public static Entry entry(List<Entry> entries, String name) {
    for (Entry e : entries) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    return null;
  }
}
