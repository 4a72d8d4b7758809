package io.kallisto.notebook.kernel;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.LoopRegistry;
import io.kallisto.event.Worker;
import io.kallisto.event.WorkerPool;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Knows which cell created each dispatcher, worker and pool (through {@link LoopRegistry} and the
 * kernel's inheritable thread-local, so a loop made by a thread that a cell started belongs to
 * that cell), and stops them through the engine's API: {@link Dispatcher#exit()} and
 * {@link Worker#stop()}, never by killing a loop's thread, except to break a runaway callback.
 *
 * <p><b>What Interrupt stops</b> ({@link #stopCell}): everything the interrupted cell created, and
 * any loop running on the cell thread (a dispatcher made in an earlier cell and {@code run()} by
 * this one). A dispatcher the interrupted cell made but had not run yet is exited too, so that a
 * {@code run()} the stopped cell was about to begin returns at once. Loops that earlier cells
 * created and left running keep running: a pool started in one cell and used in the next
 * survives an Interrupt of the next.
 *
 * <p><b>Runaway callbacks.</b> A loop, of any cell, that is held by one callback from before the
 * Interrupt until {@value #STOP_WAIT_MILLIS} ms after it serves nothing else, and a
 * {@code stop()} of it would wait forever. It is reported with its name, how long it has been
 * held ({@link Dispatcher#workingSince()}) and the top cell frame of its thread's stack. If the
 * interrupted cell made it, its thread is interrupted first (a callback that waits or sleeps
 * ends there). Then, if the same callback still runs, the thread is stopped by force
 * ({@code Thread.stop}, JDK 17 to 19): the dispatcher counts the {@code ThreadDeath} as a
 * callback error and goes on, to its exit if it is being stopped. A loop of an earlier cell keeps
 * running after that. On JDK 20+ a thread cannot be stopped; the report says that it still spins
 * and that a restart reclaims it. A loop running on the cell thread is left to the cell's own
 * force-stop ({@link CellExecutionControl}), which is aimed at the cell's snippet.
 *
 * <p>Objects are held through weak references: a loop that nobody can reach is not running (a
 * running loop's thread holds its dispatcher). Every method is safe from any thread; the
 * listener methods run on the creating thread and only record.
 */
final class LoopTracker implements LoopRegistry.Listener, AutoCloseable {
  /** How long Interrupt gives the stopped loops before looking for runaway callbacks. */
  static final long STOP_WAIT_MILLIS = 450;
  /** How long Interrupt then gives a broken callback's loop to end, before reporting. */
  static final long BREAK_WAIT_MILLIS = 350;
  private static final long POLL_MILLIS = 5;

  private final Supplier<CellRun> threadCell;
  private final Function<StackTraceElement[], String> frames;
  private final LoopRegistry.Registration registration;
  private final List<Owned<Dispatcher>> dispatchers = new ArrayList<>(); // guarded by this
  private final List<Owned<Worker>> workers = new ArrayList<>(); // guarded by this
  private final List<Owned<WorkerPool>> pools = new ArrayList<>(); // guarded by this
  /** Held callbacks already reported by {@link #newlyHeld}: dispatcher and workingSince. */
  private final Map<Dispatcher, Long> warned = new IdentityHashMap<>(); // guarded by this

  private record Owned<T>(CellRun run, WeakReference<T> ref) {}

  /** A loop held by one callback, seen at one moment. */
  private record Held(Dispatcher dispatcher, CellRun run, Thread thread, long since,
      double seconds, String frame) {}

  /**
   * @param threadCell the cell the calling thread belongs to, or null
   * @param frames names a loop thread's stack by its top cell frame ({@link SnippetFrames#top})
   */
  LoopTracker(Supplier<CellRun> threadCell, Function<StackTraceElement[], String> frames) {
    this.threadCell = threadCell;
    this.frames = frames;
    this.registration = LoopRegistry.listen(this);
  }

  // LoopRegistry.Listener

  @Override
  public void dispatcherCreated(Dispatcher d) {
    add(dispatchers, d);
  }

  @Override
  public void workerCreated(Worker w) {
    add(workers, w);
  }

  @Override
  public void poolCreated(WorkerPool p) {
    add(pools, p);
  }

  private <T> void add(List<Owned<T>> list, T object) {
    CellRun run = threadCell.get();
    if (run == null) {
      return; // made outside any cell (the kernel itself, a test): not ours to stop
    }
    synchronized (this) {
      list.removeIf(o -> o.ref.get() == null);
      list.add(new Owned<>(run, new WeakReference<>(object)));
    }
  }

  private synchronized <T> List<T> live(List<Owned<T>> list, CellRun run) {
    List<T> out = new ArrayList<>();
    for (Owned<T> o : list) {
      T t = o.ref.get();
      if (t != null && (run == null || o.run == run)) {
        out.add(t);
      }
    }
    return out;
  }

  private synchronized CellRun ownerOf(Dispatcher d) {
    for (Owned<Dispatcher> o : dispatchers) {
      if (o.ref.get() == d) {
        return o.run;
      }
    }
    return null;
  }

  // ---- Interrupt ---------------------------------------------------------------------------

  /**
   * Stops, on a thread of its own, what {@code run} created and the loops running on
   * {@code cellThread}; breaks runaway callbacks; adds its report to {@code run} and then marks
   * the report done. Returns at once.
   *
   * @param snippetRunning whether a snippet of {@code run} still runs: while it does, a
   *     dispatcher it begins to run on the cell thread is exited too
   */
  void stopCell(CellRun run, Thread cellThread, BooleanSupplier snippetRunning) {
    Thread t = new Thread(() -> {
      try {
        stop(run, cellThread, snippetRunning).forEach(run::report);
      } catch (RuntimeException | Error e) {
        run.report("The kernel failed while stopping the cell's loops: " + e);
      } finally {
        run.reportDone();
      }
      // Until the cell's own stop is done with its thread: a run() the snippet begins late
      // (after more work) must not block it in epoll_wait, where no force-stop reaches.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
          CellExecutionControl.STOP_GRACE_MILLIS + CellExecutionControl.ABANDON_MILLIS);
      while (cellThread != null && snippetRunning.getAsBoolean()
          && System.nanoTime() - until < 0) {
        for (Dispatcher d : live(dispatchers, null)) {
          if (d.loopThread() == cellThread) {
            exit(d);
          }
        }
        sleep(POLL_MILLIS);
      }
    }, "kallisto-interrupt");
    t.setDaemon(true);
    t.start();
  }

  private List<String> stop(CellRun run, Thread cellThread, BooleanSupplier snippetRunning) {
    long start = System.nanoTime();
    Set<Dispatcher> mine = new LinkedHashSet<>(live(dispatchers, run));
    Set<Dispatcher> onCellThread = new LinkedHashSet<>();
    List<Worker> myWorkers = live(workers, run);
    List<WorkerPool> myPools = live(pools, run);
    // Each running loop's clock now: a callback that began before this holds it "since before".
    Map<Dispatcher, Long> clockAtStop = new IdentityHashMap<>();
    for (Dispatcher d : live(dispatchers, null)) {
      if (d.loopThread() != null) {
        clockAtStop.put(d, d.now());
      }
    }
    Set<Dispatcher> ran = new LinkedHashSet<>();
    for (Dispatcher d : mine) {
      Thread t = d.loopThread();
      if (t != null) {
        ran.add(d);
        if (t == cellThread) {
          onCellThread.add(d);
        }
      }
      exit(d); // a run() not begun yet returns at once: the cell that would begin it is stopped
    }
    for (Worker w : myWorkers) {
      stopInBackground(w);
    }
    awaitStopped(mine, ran, onCellThread, cellThread, snippetRunning,
        start + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS));
    // Runaways: loops (this cell's, or any other's) held by a callback from before the Interrupt.
    List<String> report = new ArrayList<>();
    boolean broke = false;
    for (Map.Entry<Dispatcher, Long> e : clockAtStop.entrySet()) {
      Dispatcher d = e.getKey();
      long since = d.workingSince();
      if (since != 0 && since <= e.getValue() && d.loopThread() != null) {
        Held h = held(d, 0);
        if (h != null) {
          breakCallback(h, mine.contains(d), cellThread, report::add);
          broke = true;
        }
      }
    }
    if (broke) {
      awaitStopped(mine, ran, onCellThread, cellThread, snippetRunning, System.nanoTime()
          + TimeUnit.MILLISECONDS.toNanos(BREAK_WAIT_MILLIS));
    }
    List<String> lines = new ArrayList<>();
    if (!ran.isEmpty() || !myWorkers.isEmpty()) {
      lines.add(summary(run, ran, myWorkers, myPools, onCellThread));
    }
    List<String> still = ran.stream().filter(d -> d.loopThread() != null
        && d.loopThread() != cellThread).map(d -> "'" + d.name() + "'").toList();
    if (!still.isEmpty()) {
      lines.add("Still running " + seconds(System.nanoTime() - start) + " s after the"
          + " Interrupt, and not waited for: " + String.join(", ", still) + ".");
    }
    lines.addAll(report);
    return lines;
  }

  private static void stopInBackground(Worker w) {
    Thread stopper = new Thread(() -> {
      try {
        w.stop();
      } catch (RuntimeException e) {
        // stop() on a worker's own thread is refused; its dispatcher was exited
      }
    }, "kallisto-stop-" + w.name());
    stopper.setDaemon(true);
    stopper.start();
  }

  /**
   * Waits until every loop of {@code mine} has left run() and the interrupted snippet has ended
   * (or the deadline passes), exiting any loop of {@code mine} that runs, and adding to
   * {@code mine} any dispatcher that {@code cellThread} runs meanwhile. Records the loops seen
   * running in {@code ran}, those seen on the cell thread in {@code onCellThread}.
   */
  private void awaitStopped(Set<Dispatcher> mine, Set<Dispatcher> ran,
      Set<Dispatcher> onCellThread, Thread cellThread, BooleanSupplier snippetRunning,
      long deadline) {
    while (true) {
      if (cellThread != null) {
        for (Dispatcher d : live(dispatchers, null)) {
          if (d.loopThread() == cellThread) {
            mine.add(d); // made by an earlier cell, run by the interrupted one
          }
        }
      }
      boolean running = false;
      for (Dispatcher d : mine) {
        Thread t = d.loopThread();
        if (t != null) {
          ran.add(d);
          exit(d);
          if (t == cellThread) {
            onCellThread.add(d);
          } else {
            running = true;
          }
        }
      }
      if (!running && !snippetRunning.getAsBoolean() || System.nanoTime() - deadline >= 0) {
        return;
      }
      sleep(POLL_MILLIS);
    }
  }

  private static void exit(Dispatcher d) {
    try {
      d.exit();
    } catch (RuntimeException e) {
      // a backend that refuses: nothing more to do through the API
    }
  }

  private static String summary(CellRun run, Set<Dispatcher> ran, List<Worker> workers,
      List<WorkerPool> pools, Set<Dispatcher> onCellThread) {
    Set<String> workerNames = workers.stream().map(Worker::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    List<String> loops = ran.stream().filter(d -> !workerNames.contains(d.name()))
        .map(d -> "'" + d.name() + "'" + (onCellThread.contains(d) ? " (run by the cell thread)"
            : "")).toList();
    List<String> parts = new ArrayList<>();
    if (!loops.isEmpty()) {
      parts.add("exited " + (loops.size() == 1 ? "loop " : "loops ") + String.join(", ", loops));
    }
    if (!workers.isEmpty()) {
      parts.add("stopped " + (workers.size() == 1 ? "worker " : "workers ")
          + workerNames.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
          + (pools.isEmpty() ? "" : pools.size() == 1 ? " (a pool)" : " (" + pools.size()
          + " pools)"));
    }
    return "Interrupt stopped what " + run + " started: " + String.join("; ", parts) + ".";
  }

  /**
   * Breaks the callback that holds {@code h}'s loop: interrupts its thread (for a loop being
   * stopped), then stops the thread by force if the same callback still runs. A loop on the cell
   * thread is left to the cell's own force-stop, which is aimed at the cell's snippet.
   */
  @SuppressWarnings({"deprecation", "removal"})
  private void breakCallback(Held h, boolean stopping, Thread cellThread, Consumer<String> line) {
    String what = "Loop '" + h.dispatcher.name() + "'" + (h.run == null ? "" : " (" + h.run + ")")
        + " was held by one callback for " + String.format(Locale.ROOT, "%.2f", h.seconds)
        + " s, at " + h.frame;
    if (h.thread == cellThread) {
      line.accept(what + "; it runs on the cell thread, which the kernel stops with the cell.");
      return;
    }
    if (stopping) {
      h.thread.interrupt(); // a callback that waits or sleeps ends here
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      while (h.dispatcher.workingSince() == h.since && System.nanoTime() - deadline < 0) {
        sleep(POLL_MILLIS);
      }
      if (h.dispatcher.workingSince() != h.since) {
        line.accept(what + "; it ended when its thread was interrupted.");
        return;
      }
    }
    try {
      // The same callback still holds the loop (a new one would have a new workingSince).
      if (h.dispatcher.workingSince() == h.since && h.dispatcher.loopThread() == h.thread) {
        h.thread.stop(); // JDK 17-19; later JDKs throw UnsupportedOperationException
        line.accept(what + "; stopped that callback by force (Thread.stop, Java "
            + Runtime.version().feature() + ")" + (stopping ? "; the loop then exits."
            : "; the loop itself keeps running (Interrupt stops only the interrupted cell's"
            + " loops)."));
      }
    } catch (UnsupportedOperationException e) {
      line.accept(what + ". Java " + Runtime.version().feature() + " cannot stop a thread by"
          + " force, so thread '" + h.thread.getName() + "' still spins and uses a core"
          + (stopping ? ", and its stop() will not finish" : "")
          + "; Kernel > Restart reclaims it. The kernel still runs your next cell.");
    }
  }

  /** {@code d} as held, if one callback has held it for at least {@code minNanos}. */
  private Held held(Dispatcher d, long minNanos) {
    Thread t = d.loopThread();
    long since = d.workingSince();
    if (t == null || since == 0) {
      return null;
    }
    long heldNanos = d.now() - since;
    if (heldNanos < minNanos) {
      return null;
    }
    return new Held(d, ownerOf(d), t, since, heldNanos / 1e9, frames.apply(t.getStackTrace()));
  }

  // ---- the monitor ---------------------------------------------------------------------------

  /**
   * Loops held by one callback for at least {@code minNanos} that were not reported yet, as
   * lines for the running cell: what would make its {@code stop()} wait forever.
   */
  List<String> newlyHeld(long minNanos) {
    List<String> lines = new ArrayList<>();
    for (Dispatcher d : live(dispatchers, null)) {
      Held h = held(d, minNanos);
      if (h == null) {
        continue;
      }
      synchronized (this) {
        Long seen = warned.get(d);
        if (seen != null && seen == h.since) {
          continue;
        }
        warned.put(d, h.since);
      }
      lines.add("kallisto: loop '" + d.name() + "'" + (h.run == null ? "" : " (" + h.run + ")")
          + " has been held by one callback for " + String.format(Locale.ROOT, "%.1f", h.seconds)
          + " s, at " + h.frame + ". Nothing else runs on that loop meanwhile, and its stop()"
          + " waits for the callback to return. Kernel > Interrupt breaks it.");
    }
    synchronized (this) {
      warned.entrySet().removeIf(e -> e.getKey().workingSince() != e.getValue());
    }
    return lines;
  }

  /**
   * Interrupt while no cell runs: on a thread of its own, breaks every callback that holds its
   * loop from before this call until {@value #STOP_WAIT_MILLIS} ms after; hands each report line
   * to {@code report} with the cell that made the loop (null if none). Returns at once.
   */
  void breakRunaways(BiConsumer<CellRun, String> report) {
    Map<Dispatcher, Long> sinceAtCall = new IdentityHashMap<>();
    for (Dispatcher d : live(dispatchers, null)) {
      long since = d.workingSince();
      if (d.loopThread() != null && since != 0) {
        sinceAtCall.put(d, since);
      }
    }
    if (sinceAtCall.isEmpty()) {
      return;
    }
    Thread t = new Thread(() -> {
      sleep(STOP_WAIT_MILLIS);
      for (Map.Entry<Dispatcher, Long> e : sinceAtCall.entrySet()) {
        Held h = held(e.getKey(), 0);
        if (h != null && h.since == e.getValue()) {
          breakCallback(h, false, null, l -> report.accept(h.run, l));
        }
      }
    }, "kallisto-interrupt");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Stops every loop of every cell (kernel shutdown): exits the dispatchers, stops the workers,
   * breaks runaway callbacks; waits at most {@code millis} in all.
   */
  void stopAll(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    Set<Dispatcher> all = new LinkedHashSet<>(live(dispatchers, null));
    all.forEach(LoopTracker::exit);
    live(workers, null).forEach(LoopTracker::stopInBackground);
    Set<Dispatcher> ran = new LinkedHashSet<>();
    Set<Dispatcher> none = new LinkedHashSet<>();
    awaitStopped(all, ran, none, null, () -> false,
        deadline - TimeUnit.MILLISECONDS.toNanos(millis / 2));
    for (Dispatcher d : all) {
      Held h = held(d, 0);
      if (h != null) {
        breakCallback(h, true, null, l -> { });
      }
    }
    awaitStopped(all, ran, none, null, () -> false, deadline);
  }

  @Override
  public void close() {
    registration.close();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
