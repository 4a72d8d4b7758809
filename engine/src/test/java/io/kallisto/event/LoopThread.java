package io.kallisto.event;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a dispatcher with RUN_UNTIL_EXIT on a thread of its own, for tests of any package. */
public final class LoopThread implements AutoCloseable {
  public final Dispatcher dispatcher;
  final Thread thread;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile Throwable failure;

  public LoopThread(Dispatcher dispatcher) throws InterruptedException {
    this.dispatcher = dispatcher;
    dispatcher.post(running::countDown);
    thread = new Thread(() -> {
      try {
        dispatcher.run(RunType.RUN_UNTIL_EXIT);
      } catch (Throwable t) {
        failure = t;
      }
    }, "loop-" + dispatcher.name());
    thread.start();
    if (!running.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("loop did not start");
    }
  }

  /** Runs {@code work} on the loop thread and returns its result. */
  public <T> T call(Callable<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    dispatcher.post(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    } catch (TimeoutException e) {
      throw new AssertionError("loop did not run the callback within 10 s", e);
    }
  }

  /** Runs {@code work} on the loop thread and waits for it. */
  public void run(Runnable work) throws Exception {
    call(() -> {
      work.run();
      return null;
    });
  }

  /** Exits the loop, joins the thread and closes the dispatcher. */
  @Override
  public void close() throws InterruptedException {
    dispatcher.exit();
    thread.join(10_000);
    if (thread.isAlive()) {
      throw new AssertionError("loop thread did not exit");
    }
    dispatcher.close();
    if (failure != null) {
      throw new AssertionError("loop failed", failure);
    }
  }
}
