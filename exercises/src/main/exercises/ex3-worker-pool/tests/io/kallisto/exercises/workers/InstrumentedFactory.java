package io.kallisto.exercises.workers;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherFactory;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.RunType;
import io.kallisto.exercises.support.ForwardingDispatcher;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   <li>{@link #holdRacers(Set)}: a post made by one of a set of racing threads waits until
 *       every other racer has either posted too, or is parked, blocked or ended: whatever the
 *       worker lets through between a look at its state and the post, every racer gets through.
 *   <li>{@link Instrumented#closes()}: how many times the worker closed the dispatcher.
 * </ul>
 */
final class InstrumentedFactory implements DispatcherFactory {
  private final Backend backend;
  private final List<Instrumented> created = new CopyOnWriteArrayList<>();
  private boolean holdFirstRun;
  private int jitterOneIn;
  private volatile Set<Thread> racers = Set.of();
  private final Set<Thread> racersAtPost = ConcurrentHashMap.newKeySet();

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

  /**
   * From now on, a post by one of {@code threads} waits (2 s at most) until each of the others
   * has posted too, or is parked, blocked or ended.
   */
  InstrumentedFactory holdRacers(Set<Thread> threads) {
    racersAtPost.clear();
    racers = Set.copyOf(threads);
    return this;
  }

  private void settleRacers() {
    Set<Thread> all = racers;
    if (!all.contains(Thread.currentThread())) {
      return;
    }
    racersAtPost.add(Thread.currentThread());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() - deadline < 0) {
      boolean settled = true;
      for (Thread t : all) {
        Thread.State s = t.getState();
        settled &= racersAtPost.contains(t) || s == Thread.State.WAITING
            || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED
            || s == Thread.State.TERMINATED;
      }
      if (settled) {
        return;
      }
      Thread.yield();
    }
  }

  @Override
  public Dispatcher create(String name) {
    Instrumented d = new Instrumented(backend.factory().create(name), holdFirstRun,
        jitterOneIn, this::settleRacers);
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
  static final class Instrumented extends ForwardingDispatcher {
    private final CountDownLatch runEntered = new CountDownLatch(1);
    private final CountDownLatch runReleased;
    private final int jitterOneIn;
    private final Runnable beforePost;
    private final AtomicInteger closes = new AtomicInteger();

    Instrumented(Dispatcher loop, boolean holdFirstRun, int jitterOneIn, Runnable beforePost) {
      super(loop);
      this.runReleased = new CountDownLatch(holdFirstRun ? 1 : 0);
      this.jitterOneIn = jitterOneIn;
      this.beforePost = beforePost;
    }

    /** How many times {@code close()} was called. */
    int closes() {
      return closes.get();
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
    public void post(Runnable callback) {
      beforePost.run();
      if (jitterOneIn > 0 && Dispatchers.current() != loop()
          && ThreadLocalRandom.current().nextInt(jitterOneIn) == 0) {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 250_000));
      }
      super.post(callback);
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
      super.run(type);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      super.close();
    }
  }
}
