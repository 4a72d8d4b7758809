package io.kallisto.notebook;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Window} around a burst of posts: the first few {@code post()} calls one thread made,
 * from the first of them until the last of their callbacks ended. Drawn with
 * {@link Timeline#showFlows}, it shows the post that woke the loop (a solid arrow) and the posts
 * that rode along on that wakeup (dashed), and the batch they all landed in.
 *
 * <pre>{@code
 * Timeline.showFlows(trace, PostWindows.firstPosts(trace, "kallisto-cell", 30));
 * }</pre>
 *
 * <p>Where {@link Moments#firstWakeup} frames one post and its callback, this frames many: the
 * window is as long as the burst took, gaps included (a poster descheduled in the middle of its
 * burst shows as a gap on its row).
 */
public final class PostWindows {
  private PostWindows() {}

  /**
   * The first {@code posts} posts {@code thread} made (all of them, if it made fewer), from the
   * first post to the end of the last of their callbacks, with a little context on each side.
   * The caption counts the posts that wrote a wakeup and those that found the loop awake.
   *
   * @throws IllegalArgumentException if {@code posts < 1}, if the trace has no such thread
   *     (naming the threads it has), or if the thread made no post
   */
  public static Window firstPosts(Path trace, String thread, int posts) {
    if (posts < 1) {
      throw new IllegalArgumentException("posts=" + posts + "; use 1 or more");
    }
    try (TraceFile t = TraceFile.open(trace)) {
      int id = Moments.threadId(t, thread);
      List<TraceEvent> made = new ArrayList<>();
      t.forEach(e -> {
        if (e.thread() == id && e.type() == EventType.POST) {
          made.add(e.copy());
        }
      });
      if (made.isEmpty()) {
        throw new IllegalArgumentException("trace " + trace.getFileName() + ": " + thread
            + " made no post");
      }
      made.sort(Comparator.comparingLong(TraceEvent::time));
      List<TraceEvent> first = made.subList(0, Math.min(posts, made.size()));
      Set<Long> flows = new HashSet<>();
      long wrote = 0;
      for (TraceEvent p : first) {
        if (p.b() != 0) {
          flows.add(p.b());
        }
        if (p.kind() == 1) {
          wrote++;
        }
      }
      long start = first.get(0).time();
      long[] end = {first.get(first.size() - 1).time()};
      int[] ran = {0};
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK && flows.contains(e.b())
            && e.callbackKind() != CallbackKind.TIMER
            && e.callbackKind() != CallbackKind.FILE_EVENT) { // their b is no flow id
          ran[0]++;
          end[0] = Math.max(end[0], e.end());
        }
      });
      long origin = t.firstTime();
      long pad = Math.max(5_000L, (end[0] - start) / 20);
      int n = first.size();
      return Window.ofNanos(start - origin - pad, end[0] - origin + pad, thread + "'s first " + n
          + (n == 1 ? " post: " : " posts: ") + wrote + " wrote a wakeup, " + (n - wrote)
          + " found the loop awake; " + ran[0] + " callbacks ran, the last ended "
          + Numbers.micros(end[0] - start) + " after the first post");
    }
  }
}
