package io.kallisto.visualizer.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins the two ends of posts and slot updates, for the arrows between lanes. A post names its
 * target dispatcher and a flow id; the target's lane keeps its post callbacks sorted by flow,
 * so each arrow costs two binary searches.
 */
public final class Flows {
  /** The most arrows drawn at once; more would be a smear, not a picture. */
  public static final int MAX_ARROWS = 2_000;

  private Flows() {}

  /** Arrows for the posts and slot updates sent in {@code [from, to]}, at most {@code limit}. */
  public static List<Flow> sentBetween(TraceModel model, long from, long to, int limit) {
    List<Flow> out = new ArrayList<>();
    for (Lane lane : model.lanes()) {
      addSent(model, lane, from, to, limit, out);
    }
    return out;
  }

  /**
   * Arrows that touch slice {@code ref}: the post or slot update that caused it (or, for poll
   * and work slices, the callbacks inside it), and the posts it made while it ran.
   */
  public static List<Flow> of(TraceModel model, SliceRef ref, int limit) {
    List<Flow> out = new ArrayList<>();
    Lane lane = model.lanes().get(ref.lane());
    int i = ref.slice();
    long s = lane.start(i);
    long e = lane.end(i);
    SliceCategory c = lane.category(i);
    if (c == SliceCategory.POST_CALLBACK || c == SliceCategory.SLOT_CALLBACK) {
      Flow in = cause(model, ref);
      if (in != null) {
        out.add(in);
      }
    } else if (!c.isCallback()) {
      for (int r = 0; r < lane.rowCount() && out.size() < limit; r++) {
        for (int k = lane.firstEndingAfter(r, s); k < lane.rowSize(r) && out.size() < limit; k++) {
          int j = lane.sliceAt(r, k);
          if (lane.start(j) > e) {
            break;
          }
          if (j != i && lane.start(j) >= s && lane.end(j) <= e) {
            Flow in = cause(model, new SliceRef(ref.lane(), j));
            if (in != null) {
              out.add(in);
            }
          }
        }
      }
    }
    addSent(model, lane, s, e, limit, out);
    return out;
  }

  /** The arrow into a post or slot callback from what sent it, or {@code null}. */
  public static Flow cause(TraceModel model, SliceRef ref) {
    Lane lane = model.lanes().get(ref.lane());
    int i = ref.slice();
    long flow = lane.aux(i);
    if (flow == 0) {
      return null;
    }
    SliceCategory c = lane.category(i);
    boolean slot = c == SliceCategory.SLOT_CALLBACK;
    if (!slot && c != SliceCategory.POST_CALLBACK) {
      return null;
    }
    for (Lane sender : model.lanes()) {
      Instants sent = slot ? sender.slots() : sender.posts();
      // The sender acted before the callback started: search back from there.
      for (int k = sent.firstAtOrAfter(lane.start(i) + 1) - 1; k >= 0; k--) {
        if (sent.b(k) == flow && (!slot || sent.kind(k) == 0)) {
          return new Flow(sender.index(), k, sent.time(k), lane.index(), i, lane.start(i),
              !slot && sent.kind(k) == 1, slot);
        }
      }
    }
    return null;
  }

  /** The arrow from post {@code ref} to the callback that ran it, or {@code null}. */
  public static Flow ofPost(TraceModel model, PostRef ref) {
    Instants posts = model.lanes().get(ref.lane()).posts();
    int k = ref.post();
    int target = model.laneOfDispatcher(posts.id(k));
    if (target < 0) {
      return null;
    }
    Lane t = model.lanes().get(target);
    int cb = t.postCallbackOf(posts.b(k));
    return cb < 0 ? null : new Flow(ref.lane(), k, posts.time(k), target, cb, t.start(cb),
        posts.kind(k) == 1, false);
  }

  private static void addSent(TraceModel model, Lane lane, long from, long to, int limit,
      List<Flow> out) {
    Instants posts = lane.posts();
    for (int k = posts.firstAtOrAfter(from); k < posts.size() && posts.time(k) <= to
        && out.size() < limit; k++) {
      Flow f = ofPost(model, new PostRef(lane.index(), k));
      if (f != null) {
        out.add(f);
      }
    }
    Instants slots = lane.slots();
    for (int k = slots.firstAtOrAfter(from); k < slots.size() && slots.time(k) <= to
        && out.size() < limit; k++) {
      if (slots.kind(k) != 0) {
        continue;
      }
      for (Lane t : model.lanes()) {
        int cb = t.slotCallbackOf(slots.b(k));
        if (cb >= 0 && out.size() < limit) {
          out.add(new Flow(lane.index(), k, slots.time(k), t.index(), cb, t.start(cb), false,
              true));
        }
      }
    }
  }
}
