package io.kallisto.event;

import io.kallisto.event.epoll.EpollDispatcher;
import io.kallisto.event.epoll.LinuxNative;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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

  /**
   * Runs {@code task} on {@code dispatcher}'s loop by a post, waits for it and returns its
   * result; what it throws is rethrown here (unchecked exceptions as they are). For setting up
   * and tearing down from outside the loop. Safe from any thread but the loop's own, where it
   * would wait for itself.
   *
   * @throws IllegalStateException when called on the dispatcher's own running loop
   */
  public static <T> T callOnLoop(Dispatcher dispatcher, Callable<T> task) {
    if (dispatcher == current()) {
      throw new IllegalStateException("callOnLoop() on dispatcher '" + dispatcher.name()
          + "' from its own loop would wait for itself; call the task directly");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    dispatcher.post(() -> {
      try {
        result.complete(task.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return Uninterruptibly.join(result);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new CompletionException(cause);
    }
  }
}
