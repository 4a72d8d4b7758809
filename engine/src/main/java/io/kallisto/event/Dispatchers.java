package io.kallisto.event;

import io.kallisto.event.epoll.EpollDispatcher;
import io.kallisto.event.epoll.LinuxNative;

/** Creates dispatchers. Safe from any thread. */
public final class Dispatchers {
  private Dispatchers() {}

  /**
   * Creates a dispatcher on the best backend for this platform: epoll on Linux.
   *
   * @throws UnsupportedOperationException where no backend can run, saying why
   */
  public static Dispatcher create(String name) {
    if (LinuxNative.isAvailable()) {
      return EpollDispatcher.create(name);
    }
    LinuxNative.ensureAvailable(); // throws, naming the reason
    throw new AssertionError("unreachable");
  }

  /**
   * Creates an epoll dispatcher.
   *
   * @throws UnsupportedOperationException off Linux, naming the platform
   */
  public static Dispatcher epoll(String name) {
    return EpollDispatcher.create(name);
  }

  /** The factory behind {@link #create(String)}, for {@link WorkerPool#create(int,
   * DispatcherFactory)}. */
  public static DispatcherFactory best() {
    return Dispatchers::create;
  }

  /**
   * The dispatcher whose {@code run()} is in progress on the calling thread, or {@code null}.
   * Safe from any thread.
   */
  public static Dispatcher current() {
    return AbstractDispatcher.current();
  }
}
