package io.kallisto.exercises.workers;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherFactory;
import io.kallisto.event.DispatcherStats;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileTriggerType;
import io.kallisto.event.RunType;
import io.kallisto.event.Timer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link DispatcherFactory} for the tests: it makes the backend's real dispatchers, wrapped so
 * that a test can see them and steer them. Your worker uses them like any dispatcher.
 *
 * <ul>
 *   <li>{@link #created()}: every dispatcher made, to check that a request ran inside the
 *       worker's own loop ({@code Dispatchers.current() == factory.only().loop()}).
 *   <li>{@link #holdFirstRun()}: the first {@code run()} of each dispatcher waits at its start
 *       until {@link Instrumented#releaseRun()}: the worker's thread has called {@code run()} but
 *       the loop has not yet run anything.
 *   <li>{@link #jitter(int)}: one post in {@code n} from outside the loop is held for 20 to
 *       250 µs before it is queued, as a preempted thread would be: races between an offer and
 *       a stop then happen often instead of once a month.
 * </ul>
 */
final class InstrumentedFactory implements DispatcherFactory {
  private final Backend backend;
  private final List<Instrumented> created = new CopyOnWriteArrayList<>();
  private boolean holdFirstRun;
  private int jitterOneIn;

  InstrumentedFactory(Backend backend) {
    this.backend = backend;
  }

  /** Each dispatcher's first run() waits at its start for {@link Instrumented#releaseRun()}. */
  InstrumentedFactory holdFirstRun() {
    holdFirstRun = true;
    return this;
  }

  /** One post in {@code oneIn} from outside the loop is held 20 to 250 µs before it is queued. */
  InstrumentedFactory jitter(int oneIn) {
    jitterOneIn = oneIn;
    return this;
  }

  @Override
  public Dispatcher create(String name) {
    Instrumented d = new Instrumented(backend.factory().create(name), holdFirstRun,
        jitterOneIn);
    created.add(d);
    return d;
  }

  /** Every dispatcher made so far, in order. */
  List<Instrumented> created() {
    return created;
  }

  /** The one dispatcher made; fails the test if there is not exactly one. */
  Instrumented only() {
    if (created.size() != 1) {
      throw new AssertionError("expected the worker to make exactly one dispatcher with its"
          + " factory (in its constructor), but it made " + created.size());
    }
    return created.get(0);
  }

  /** A real dispatcher, delegated to, with the test's hooks. */
  static final class Instrumented implements Dispatcher {
    private final Dispatcher loop;
    private final CountDownLatch runEntered = new CountDownLatch(1);
    private final CountDownLatch runReleased;
    private final int jitterOneIn;

    Instrumented(Dispatcher loop, boolean holdFirstRun, int jitterOneIn) {
      this.loop = loop;
      this.runReleased = new CountDownLatch(holdFirstRun ? 1 : 0);
      this.jitterOneIn = jitterOneIn;
    }

    /** The real dispatcher: what {@code Dispatchers.current()} returns inside its loop. */
    Dispatcher loop() {
      return loop;
    }

    /** Waits until a thread has called {@code run()}; false after {@code seconds}. */
    boolean awaitRunEntered(long seconds) throws InterruptedException {
      return runEntered.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets a held first {@code run()} go on into the real loop. */
    void releaseRun() {
      runReleased.countDown();
    }

    // Dispatcher

    @Override
    public String name() {
      return loop.name();
    }

    @Override
    public void post(Runnable callback) {
      if (jitterOneIn > 0 && Dispatchers.current() != loop
          && ThreadLocalRandom.current().nextInt(jitterOneIn) == 0) {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 250_000));
      }
      loop.post(callback);
    }

    @Override
    public Timer createTimer(Runnable callback) {
      return loop.createTimer(callback);
    }

    @Override
    public FileEvent createFileEvent(int fd, FileReadyCallback callback,
        FileTriggerType trigger, int events) {
      return loop.createFileEvent(fd, callback, trigger, events);
    }

    @Override
    public void run(RunType type) {
      runEntered.countDown();
      try {
        // Bounded, so that a test that fails before releasing cannot hang the worker forever.
        runReleased.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop.run(type);
    }

    @Override
    public void exit() {
      loop.exit();
    }

    @Override
    public boolean isThreadSafe() {
      return loop.isThreadSafe();
    }

    @Override
    public long now() {
      return loop.now();
    }

    @Override
    public boolean hasPendingPosts() {
      return loop.hasPendingPosts();
    }

    @Override
    public DispatcherStats stats() {
      return loop.stats();
    }

    @Override
    public void close() {
      loop.close();
    }

    @Override
    public String toString() {
      return loop.toString();
    }
  }
}
