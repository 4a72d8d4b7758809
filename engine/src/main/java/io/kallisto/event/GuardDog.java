package io.kallisto.event;

import io.kallisto.trace.Tracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Envoy's watchdog: notices event loops that stop turning. Each watched dispatcher runs a timer
 * that checks in every {@link #TOUCH_INTERVAL}; the guard dog, on its own thread and loop, looks
 * every {@link #CHECK_INTERVAL} at how long ago each one checked in. A loop silent for longer
 * than {@link #MISS} counts a <em>miss</em>, longer than {@link #MEGA_MISS} a <em>mega-miss</em>,
 * once per stall; both are traced ({@code EventType.WATCHDOG}), naming the stalled dispatcher.
 *
 * <p>A stall means a callback held the loop thread: blocking I/O, a sleep, a long computation.
 * An idle loop is not stalled, since its check-in timer still fires.
 *
 * <pre>{@code
 * GuardDog dog = GuardDog.start(List.of(w0.dispatcher(), w1.dispatcher()));
 * ... run ...
 * dog.close();
 * long misses = dog.misses(0);
 * }</pre>
 *
 * <p>Every method is safe from any thread. The watched dispatchers must be running (their check-in
 * timers are set up by a post) and must outlive the guard dog, or be closed after it.
 */
public final class GuardDog implements AutoCloseable {
  /** A loop silent this long has missed: Envoy's default {@code miss_timeout}. */
  public static final Duration MISS = Duration.ofMillis(200);
  /** A loop silent this long has mega-missed: Envoy's default {@code megamiss_timeout}. */
  public static final Duration MEGA_MISS = Duration.ofSeconds(1);
  /** How often each watched loop checks in. */
  public static final Duration TOUCH_INTERVAL = Duration.ofMillis(50);
  /** How often the guard dog looks. */
  public static final Duration CHECK_INTERVAL = Duration.ofMillis(50);

  private final List<Dispatcher> watched;
  private final AtomicLongArray lastTouch;
  private final AtomicLongArray misses;
  private final AtomicLongArray megaMisses;
  private final List<Timer> touchTimers = new ArrayList<>();
  private final Worker dog;
  private final long missNanos = MISS.toNanos();
  private final long megaMissNanos = MEGA_MISS.toNanos();

  // Guard dog loop only: the check-in last seen per loop and whether its stall was counted.
  private final long[] seenTouch;
  private final boolean[] missCounted;
  private final boolean[] megaMissCounted;

  private GuardDog(List<Dispatcher> watched, DispatcherFactory factory) {
    this.watched = List.copyOf(watched);
    int n = this.watched.size();
    lastTouch = new AtomicLongArray(n);
    misses = new AtomicLongArray(n);
    megaMisses = new AtomicLongArray(n);
    seenTouch = new long[n];
    missCounted = new boolean[n];
    megaMissCounted = new boolean[n];
    dog = Worker.create("guarddog", factory);
  }

  /**
   * Starts watching {@code dispatchers} (running ones), with the guard dog on a loop of its own.
   * Returns once every check-in timer is armed.
   */
  public static GuardDog start(List<Dispatcher> dispatchers) {
    return start(dispatchers, Dispatchers.best());
  }

  /** As {@link #start(List)}, with the guard dog's dispatcher from {@code factory}. */
  public static GuardDog start(List<Dispatcher> dispatchers, DispatcherFactory factory) {
    GuardDog g = new GuardDog(dispatchers, factory);
    g.begin();
    return g;
  }

  private void begin() {
    long now = System.nanoTime();
    List<CompletableFuture<Timer>> armed = new ArrayList<>();
    for (int i = 0; i < watched.size(); i++) {
      lastTouch.set(i, now);
      seenTouch[i] = now;
      int index = i;
      Dispatcher d = watched.get(i);
      CompletableFuture<Timer> f = new CompletableFuture<>();
      armed.add(f);
      d.post(() -> f.complete(touchTimer(d, index)));
    }
    for (CompletableFuture<Timer> f : armed) {
      touchTimers.add(f.join());
    }
    dog.start();
    dog.awaitReady();
    Dispatcher loop = dog.dispatcher();
    loop.post(() -> {
      Timer[] check = new Timer[1];
      check[0] = loop.createTimer(() -> {
        check();
        check[0].enable(CHECK_INTERVAL);
      });
      check[0].enable(CHECK_INTERVAL);
    });
  }

  private Timer touchTimer(Dispatcher d, int index) {
    Timer[] self = new Timer[1];
    self[0] = d.createTimer(() -> {
      lastTouch.lazySet(index, System.nanoTime());
      self[0].enable(TOUCH_INTERVAL);
    });
    self[0].enable(TOUCH_INTERVAL);
    return self[0];
  }

  private void check() {
    long now = System.nanoTime();
    for (int i = 0; i < seenTouch.length; i++) {
      long touched = lastTouch.get(i);
      if (touched != seenTouch[i]) {
        seenTouch[i] = touched; // it turned again: a new stall will count anew
        missCounted[i] = false;
        megaMissCounted[i] = false;
      }
      long silent = now - touched;
      if (silent > missNanos && !missCounted[i]) {
        missCounted[i] = true;
        misses.incrementAndGet(i);
        Tracing.watchdog(watched.get(i).name(), false, silent);
      }
      if (silent > megaMissNanos && !megaMissCounted[i]) {
        megaMissCounted[i] = true;
        megaMisses.incrementAndGet(i);
        Tracing.watchdog(watched.get(i).name(), true, silent);
      }
    }
  }

  /** Misses counted for the {@code index}-th watched dispatcher. */
  public long misses(int index) {
    return misses.get(index);
  }

  /** Mega-misses counted for the {@code index}-th watched dispatcher. */
  public long megaMisses(int index) {
    return megaMisses.get(index);
  }

  /** The number of watched dispatchers. */
  public int size() {
    return watched.size();
  }

  /**
   * Stops the guard dog, then disarms the check-in timers (on their loops, without waiting, so a
   * stalled loop cannot hold this up). Idempotent.
   */
  @Override
  public void close() {
    dog.stop();
    for (int i = 0; i < touchTimers.size(); i++) {
      Timer t = touchTimers.get(i);
      try {
        watched.get(i).post(t::disable);
      } catch (IllegalStateException closed) {
        // The dispatcher is gone, and its timers with it.
      }
    }
  }
}
