package io.kallisto.event;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells tools about every real dispatcher, worker and worker pool this JVM creates, so that a tool
 * that runs other people's code can stop what that code started through the engine's own API
 * ({@link Dispatcher#exit()}, {@link WorkerPool#stop()}) rather than by killing threads. The
 * notebook kernel uses it to make Interrupt end the loops a cell left running.
 *
 * <p>Listeners run synchronously on the creating thread, once the object is fully constructed
 * (a dispatcher by its backend's {@code create}, a worker by {@link Worker#create}, a pool by
 * {@link WorkerPool#create}); a pool's workers and their dispatchers are announced too, before the
 * pool. They must be quick, must not block, and should not throw: what a listener throws is
 * logged and dropped, so that a tool's bug cannot break the engine. Simulated dispatchers, which
 * run in virtual time on their simulation's thread, are not announced.
 *
 * <pre>{@code
 * try (LoopRegistry.Registration r = LoopRegistry.listen(new LoopRegistry.Listener() {
 *   public void dispatcherCreated(Dispatcher d) { mine.add(d); }
 * })) {
 *   ... run code that creates loops ...
 * }
 * }</pre>
 *
 * <p>Every method is safe from any thread.
 */
public final class LoopRegistry {
  private static final System.Logger LOG = System.getLogger("io.kallisto.event");
  private static final CopyOnWriteArrayList<Listener> LISTENERS = new CopyOnWriteArrayList<>();

  private LoopRegistry() {}

  /** What a tool hears about. Each method has an empty default. */
  public interface Listener {
    /** {@code d} was created on the calling thread. */
    default void dispatcherCreated(Dispatcher d) {}

    /** {@code w} was created, not yet started, on the calling thread. */
    default void workerCreated(Worker w) {}

    /** {@code p} was created, not yet started, on the calling thread. */
    default void poolCreated(WorkerPool p) {}
  }

  /** Ends a {@link #listen} registration; idempotent. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Calls {@code listener} for everything created from now on, until the registration closes. */
  public static Registration listen(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    LISTENERS.add(listener);
    return () -> LISTENERS.remove(listener);
  }

  static void dispatcherCreated(Dispatcher d) {
    tell(l -> l.dispatcherCreated(d));
  }

  static void workerCreated(Worker w) {
    tell(l -> l.workerCreated(w));
  }

  static void poolCreated(WorkerPool p) {
    tell(l -> l.poolCreated(p));
  }

  private static void tell(Consumer<Listener> news) {
    for (Listener l : LISTENERS) {
      try {
        news.accept(l);
      } catch (RuntimeException e) {
        dropped(l, e);
      }
    }
  }

  private static void dropped(Listener l, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "LoopRegistry listener " + l + " threw; ignored", e);
  }
}
