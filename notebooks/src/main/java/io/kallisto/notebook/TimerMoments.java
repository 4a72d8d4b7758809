package io.kallisto.notebook;

import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import java.nio.file.Path;

/**
 * Finds a timer firing in a trace for {@link Timeline#show(Path, Window)}: the one that ran
 * latest after its deadline. A lesson about timer lateness shows that firing, whatever the run's
 * timing, instead of a window at fixed times.
 *
 * <pre>{@code
 * Timeline.show(trace, TimerMoments.latestFiring(trace, "timer-loop"));
 * }</pre>
 *
 * <p>A timer callback's trace record carries its deadline (the record's {@code b}); its lateness
 * is the callback's start minus that deadline.
 */
public final class TimerMoments {
  private TimerMoments() {}

  /**
   * The timer callback on {@code thread} (any thread when {@code null}) that started latest after
   * its deadline, from its deadline to the callback's end, with context on each side: half the
   * lateness, and at least 200 µs.
   *
   * @throws IllegalArgumentException if there is no such thread or no timer fired on it
   */
  public static Window latestFiring(Path trace, String thread) {
    try (TraceFile t = TraceFile.open(trace)) {
      int id = thread == null ? -1 : Moments.threadId(t, thread);
      TraceEvent[] latest = {null};
      t.forEach(e -> {
        if (e.type() == EventType.CALLBACK && e.callbackKind() == CallbackKind.TIMER
            && (id < 0 || e.thread() == id)
            && (latest[0] == null || e.time() - e.b() > latest[0].time() - latest[0].b())) {
          latest[0] = e.copy();
        }
      });
      TraceEvent e = latest[0];
      if (e == null) {
        throw new IllegalArgumentException("trace " + trace.getFileName() + " has no timer"
            + " callback" + (thread == null ? "" : " on " + thread));
      }
      long first = t.firstTime();
      long deadline = e.b();
      long late = e.time() - deadline;
      long pad = Math.max(200_000L, late / 2);
      return Window.ofNanos(Math.min(deadline, e.time()) - first - pad, e.end() - first + pad,
          t.threads().get(e.thread()) + ": the latest timer firing, "
              + Numbers.micros(late) + " after its deadline (at "
              + Numbers.millis(deadline - first) + ")");
    }
  }

}
