package io.kallisto.trace.export;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which flows have both ends in an export, learnt in a first pass over the events, so that the
 * second pass binds an arrow only where a viewer will find both of its slices.
 *
 * <p>Post flows (a post and the callback it caused) are one to one: only the ends still waiting
 * for their other side are kept, and what is left after the pass is unmatched. Slot flows (a
 * slot set, each worker's update, the completion) are few, and kept whole. Flow id 0 means "no
 * flow".
 *
 * <p><b>Note:</b> memory grows with the posts whose callback comes later in the file. A real
 * run's file interleaves threads block by block, so few wait; a simulated run's file holds each
 * thread whole, so every post of the posting thread waits until the workers' blocks are read.
 * Not thread-safe: one exporter's thread.
 */
final class FlowMatch {
  private static final byte SENT = 1;
  private static final byte RECEIVED = 2;

  private final Map<Long, Byte> waitingPosts = new HashMap<>();
  private final Set<Long> slotSets = new HashSet<>();
  private final Set<Long> slotReceivers = new HashSet<>();

  /** Notes the flow end {@code e} carries, if any; call once per event of the first pass. */
  void visit(TraceEvent e) {
    if (e.type() == EventType.POST) {
      end(e.b(), SENT);
    } else if (e.type() == EventType.SLOT_SET) {
      add(slotSets, e.b());
    } else if (e.type() == EventType.SLOT_COMPLETE) {
      add(slotReceivers, e.b());
    } else if (e.type() == EventType.CALLBACK) {
      CallbackKind kind = e.callbackKind();
      if (kind == CallbackKind.POST) {
        end(e.b(), RECEIVED);
      } else if (kind == CallbackKind.SLOT_UPDATE) {
        add(slotReceivers, e.b());
      }
    }
  }

  /** True if post flow {@code flow} has both its post and its callback in the pass. */
  boolean postMatched(long flow) {
    return flow != 0 && !waitingPosts.containsKey(flow);
  }

  /** True if slot flow {@code flow} has its set and at least one update or completion. */
  boolean slotMatched(long flow) {
    return flow != 0 && slotSets.contains(flow) && slotReceivers.contains(flow);
  }

  /** Post ends whose other end is not in the pass. */
  long unmatchedPosts() {
    return waitingPosts.size();
  }

  private void end(long flow, byte side) {
    if (flow == 0) {
      return;
    }
    Byte seen = waitingPosts.get(flow);
    if (seen == null) {
      waitingPosts.put(flow, side);
    } else if (seen != side) {
      waitingPosts.remove(flow);
    }
  }

  private static void add(Set<Long> set, long flow) {
    if (flow != 0) {
      set.add(flow);
    }
  }
}
