package io.kallisto.event;

import io.kallisto.event.epoll.EpollDispatcher;
import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.event.nio.NioDispatcher;
import io.kallisto.trace.NamedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;

/**
 * Creates dispatchers. Safe from any thread.
 *
 * <p>The backend: epoll where it is available (Linux), {@code java.nio} elsewhere. The system
 * property {@value #BACKEND_PROPERTY} ({@code epoll} or {@code nio}) forces one, which is how
 * the NIO backend is tested on Linux; {@code kallisto --backend nio} sets it.
 */
public final class Dispatchers {
  /** The trace label of a {@link #callOnLoop} post that was given none. */
  public static final String CALL_ON_LOOP = "call on loop";

  /** The system property that forces a backend: {@code epoll} or {@code nio}. */
  public static final String BACKEND_PROPERTY = "kallisto.backend";

  private Dispatchers() {}

  /**
   * Creates a dispatcher on the chosen backend ({@link #backend()}).
   *
   * @throws UnsupportedOperationException if epoll is forced where it cannot run, saying why
   */
  public static Dispatcher create(String name) {
    return backend().equals("nio") ? NioDispatcher.create(name) : EpollDispatcher.create(name);
  }

  /**
   * The backend {@link #create} uses: the {@value #BACKEND_PROPERTY} property if set, else
   * {@code epoll} where available, else {@code nio}.
   *
   * @throws IllegalArgumentException if the property names no backend
   */
  public static String backend() {
    String forced = System.getProperty(BACKEND_PROPERTY);
    if (forced == null || forced.isEmpty()) {
      return LinuxNative.isAvailable() ? "epoll" : "nio";
    }
    if (!forced.equals("epoll") && !forced.equals("nio")) {
      throw new IllegalArgumentException("-D" + BACKEND_PROPERTY + "=" + forced
          + " names no backend; allowed: epoll, nio");
    }
    return forced;
  }

  /**
   * A factory of dispatchers on the same backend as {@code d}: what must serve sockets that
   * {@code d}'s loop accepted (an fd cannot move to a selector, nor a channel to epoll).
   */
  public static DispatcherFactory sameBackendAs(Dispatcher d) {
    return d instanceof NioDispatcher ? Dispatchers::nio : Dispatchers::epoll;
  }

  /** Creates a {@code java.nio} dispatcher, which runs on every platform. */
  public static Dispatcher nio(String name) {
    return NioDispatcher.create(name);
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
   * Runs {@code task.accept(i)} on the loop of {@code dispatchers.get(i)}, for every {@code i}, and
   * returns once all have run. Every task is posted before any is waited for, so the loops run
   * theirs in parallel: for setting up and tearing down many workers without a round trip each.
   * The first failure is rethrown once all have run. Safe from any thread but the loops' own.
   *
   * @throws IllegalStateException when called on one of the dispatchers' own loops
   */
  public static void runOnEach(List<Dispatcher> dispatchers, IntConsumer task) {
    runOnEach(dispatchers, CALL_ON_LOOP, task);
  }

  /** {@link #runOnEach(List, IntConsumer)}, its posts labelled {@code label} in traces. */
  public static void runOnEach(List<Dispatcher> dispatchers, String label, IntConsumer task) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < dispatchers.size(); i++) {
      Dispatcher d = dispatchers.get(i);
      if (d == current()) {
        throw new IllegalStateException("runOnEach() on dispatcher '" + d.name()
            + "' from its own loop would wait for itself");
      }
      int index = i;
      CompletableFuture<Void> f = new CompletableFuture<>();
      d.post(NamedTask.of(label, () -> {
        try {
          task.accept(index);
          f.complete(null);
        } catch (Throwable e) {
          f.completeExceptionally(e);
        }
      }));
      done.add(f);
    }
    RuntimeException first = null;
    for (CompletableFuture<Void> f : done) {
      try {
        Uninterruptibly.join(f);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        if (first == null) {
          first = cause instanceof RuntimeException ? (RuntimeException) cause
              : new CompletionException(cause);
        }
      }
    }
    if (first != null) {
      throw first;
    }
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
    return callOnLoop(dispatcher, CALL_ON_LOOP, task);
  }

  /** {@link #callOnLoop(Dispatcher, Callable)}, its post labelled {@code label} in traces. */
  public static <T> T callOnLoop(Dispatcher dispatcher, String label, Callable<T> task) {
    if (dispatcher == current()) {
      throw new IllegalStateException("callOnLoop() on dispatcher '" + dispatcher.name()
          + "' from its own loop would wait for itself; call the task directly");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    dispatcher.post(NamedTask.of(label, () -> {
      try {
        result.complete(task.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }));
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
