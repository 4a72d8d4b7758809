package io.kallisto.event;

/**
 * An event loop on one thread: Kallisto's version of Envoy's {@code Event::Dispatcher}
 * (envoy/event/dispatcher.h), without libevent (docs/envoy-fidelity.md). It runs posted
 * callbacks, timers and fd readiness callbacks, all on the thread that calls
 * {@link #run(RunType)}.
 *
 * <p><b>Threads.</b> {@link #post}, {@link #exit}, {@link #name}, {@link #now},
 * {@link #isThreadSafe} and {@link #stats} are safe from any thread. Every other method, and every
 * method of the {@link Timer}s and {@link FileEvent}s it creates, is <em>loop-only</em>: while a
 * {@code run()} is in progress only the loop thread may call it, and other threads get
 * {@link IllegalStateException}. When no {@code run()} is in progress any thread may call them
 * (that is how a main thread sets a loop up before handing it to a worker).
 *
 * <p><b>Ownership.</b> The creator owns the dispatcher and must {@link #close()} it; closing
 * releases its fds and drops callbacks still queued. Timers and file events belong to the
 * dispatcher and die with it. A closed dispatcher rejects every call but {@code close()},
 * {@code name()}, {@code now()}, {@code isThreadSafe()}, {@code stats()}, {@code exit()} (which
 * does nothing: no run can follow) and {@code hasPendingPosts()} (false: closing dropped them)
 * with {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (Dispatcher d = Dispatchers.create("example")) {
 *   d.post(() -> System.out.println("runs on the loop thread"));
 *   d.createTimer(d::exit).enable(Duration.ofMillis(5));
 *   d.run(RunType.RUN_UNTIL_EXIT);
 * }
 * }</pre>
 */
public interface Dispatcher extends AutoCloseable {
  /** The name given at creation, used in thread names, errors and statistics. */
  String name();

  /**
   * Queues {@code callback} to run on the loop thread. Safe from any thread. Never blocks and
   * never rejects, except on a closed dispatcher. Callbacks from one thread run in the order
   * posted; a callback posted while posted callbacks run goes to the next batch.
   *
   * @throws IllegalStateException if the dispatcher is closed
   */
  void post(Runnable callback);

  /** Creates a disabled timer that runs {@code callback} on the loop thread. Loop-only. */
  Timer createTimer(Runnable callback);

  /**
   * Starts watching {@code fd}, which stays owned by the caller. Loop-only.
   *
   * @param events the {@link FileReadyType} bits to watch, possibly 0
   * @throws UnsupportedOperationException on a backend that cannot watch raw fds
   */
  FileEvent createFileEvent(int fd, FileReadyCallback callback, FileTriggerType trigger,
      int events);

  /**
   * Runs the loop on the calling thread, which becomes the loop thread until this returns. Only
   * one {@code run()} may be in progress. May be called again after it returns.
   *
   * @throws IllegalStateException if a run is already in progress or the dispatcher is closed
   */
  void run(RunType type);

  /**
   * Ends the current {@code run()} after its current iteration, or the next one if none is in
   * progress. Safe from any thread. On a closed dispatcher it does nothing, and does not throw:
   * a stop request that races with the loop's own close must not fail.
   */
  void exit();

  /**
   * True on the loop thread while {@code run()} is in progress, and on any thread when no run is
   * in progress: whether loop-only methods may be called here. Safe from any thread.
   */
  boolean isThreadSafe();

  /** The monotonic clock that timers use, in nanoseconds. Safe from any thread. */
  long now();

  /**
   * True if posted callbacks are waiting to run. Loop-only, checked: from another thread, while a
   * run is in progress, the answer could be stale before it returns, so that throws
   * {@link IllegalStateException}. False once the dispatcher is closed (closing dropped them).
   */
  boolean hasPendingPosts();

  /** A snapshot of the loop's counters and histograms. Safe from any thread. */
  DispatcherStats stats();

  /**
   * The thread whose {@code run()} is in progress, or {@code null}. Safe from any thread; the
   * answer may be stale when it returns. For tools that watch loops (naming a stuck loop's
   * callback by its thread's stack), not for deciding which methods to call: use
   * {@link #isThreadSafe()} for that. A dispatcher that cannot tell answers {@code null}.
   */
  default Thread loopThread() {
    return null;
  }

  /**
   * When the current iteration's work began, on {@link #now()}'s clock, or 0 while the loop
   * waits in a blocking poll or no run is in progress. A value that stays the same for long means
   * one callback (or one huge batch) holds the loop. Safe from any thread; a snapshot. A
   * dispatcher that cannot tell answers 0.
   */
  default long workingSince() {
    return 0;
  }

  /**
   * True while the loop has published that it will block (it then looks at its queue once more
   * before it does) or is blocked in its poll. A post from another thread made now writes a
   * wakeup, unless that last look finds the post first and the loop does not block at all. Safe
   * from any thread; a snapshot that a concurrent post or the loop itself may change at once. A
   * dispatcher that cannot tell answers {@code false}.
   */
  default boolean isAsleep() {
    return false;
  }

  /**
   * Releases the dispatcher's fds and drops queued callbacks. Loop-only. Called on the loop
   * thread during a run, it takes effect when that run returns. Idempotent.
   */
  @Override
  void close();
}
