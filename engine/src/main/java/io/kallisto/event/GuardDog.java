package io.kallisto.event;

import io.kallisto.trace.NamedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Kallisto's version of Envoy's guard dog (source/server/guarddog_impl.cc), without its kill and
 * multikill, which abort the process: notices event loops that stop turning. Each watched
 * dispatcher runs a timer that checks in every {@link #TOUCH_INTERVAL}; the guard dog, on its own
 * thread and loop, looks every {@link #CHECK_INTERVAL} at how long ago each one checked in. A
 * loop silent for longer than {@link #MISS} counts a <em>miss</em>, longer than
 * {@link #MEGA_MISS} a <em>mega-miss</em>, once per stall; both are traced
 * ({@code EventType.WATCHDOG}), naming the stalled dispatcher.
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
  /**
   * A loop silent this long has missed: Envoy's default {@code miss_timeout}
   * ({@code WatchdogImpl::WatchdogImpl}, source/server/configuration_impl.cc).
   */
  public static final Duration MISS = Duration.ofMillis(200);
  /** A loop silent this long has mega-missed: Envoy's default {@code megamiss_timeout} (ditto). */
  public static final Duration MEGA_MISS = Duration.ofSeconds(1);
  /** How often each watched loop checks in. */
  public static final Duration TOUCH_INTERVAL = Duration.ofMillis(50);
  /** How often the guard dog looks. */
  public static final Duration CHECK_INTERVAL = Duration.ofMillis(50);

  private final List<Dispatcher> watched;
  private final StallDetector stalls;
  private final List<Timer> touchTimers = new ArrayList<>();
  private final Worker dog;

  private GuardDog(List<Dispatcher> watched, DispatcherFactory factory) {
    this.watched = List.copyOf(watched);
    List<String> names = new ArrayList<>();
    for (Dispatcher d : this.watched) {
      names.add(d.name());
    }
    stalls = new StallDetector(names, System.nanoTime());
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
    List<CompletableFuture<Timer>> armed = new ArrayList<>();
    for (int i = 0; i < watched.size(); i++) {
      int index = i;
      Dispatcher d = watched.get(i);
      CompletableFuture<Timer> f = new CompletableFuture<>();
      armed.add(f);
      d.post(NamedTask.of("watchdog start", () -> f.complete(stalls.touchTimer(d, index))));
    }
    for (CompletableFuture<Timer> f : armed) {
      touchTimers.add(f.join());
    }
    dog.start();
    dog.awaitReady();
    Dispatcher loop = dog.dispatcher();
    loop.post(NamedTask.of("watchdog start", () -> stalls.checkTimer(loop)));
  }

  /** Misses counted for the {@code index}-th watched dispatcher. */
  public long misses(int index) {
    return stalls.misses(index);
  }

  /** Mega-misses counted for the {@code index}-th watched dispatcher. */
  public long megaMisses(int index) {
    return stalls.megaMisses(index);
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
        watched.get(i).post(NamedTask.of("watchdog stop", t::disable));
      } catch (IllegalStateException closed) {
        // The dispatcher is gone, and its timers with it.
      }
    }
  }
}
