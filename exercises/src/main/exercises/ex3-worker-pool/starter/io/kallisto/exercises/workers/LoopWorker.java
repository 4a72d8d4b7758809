package io.kallisto.exercises.workers;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * YOUR {@link LifecycleWorker}: one platform thread of its own that runs one dispatcher made by
 * a {@link DispatcherFactory}. Read the contract in {@link LifecycleWorker} and
 * {@link WorkerState} first; the README says what may not be used.
 *
 * <p>Decide, and write down here, which lock or atomic guards what:
 * <ul>
 *   <li>how an offer on another thread and a stop() that begins at the same moment agree on
 *       whether that offer was accepted (and, if it was, that it is queued ahead of the loop's
 *       exit);
 *   <li>which counters many threads write at once, and which only the worker's thread writes.
 * </ul>
 */
public final class LoopWorker implements LifecycleWorker {
  private final String name;
  private final Dispatcher dispatcher;
  private final RequestErrorHandler errors;

  /**
   * A NEW worker whose dispatcher, named {@code name}, {@code factory} makes now.
   *
   * @param errors told about every request that throws, on the worker's thread
   */
  public LoopWorker(String name, DispatcherFactory factory, RequestErrorHandler errors) {
    this.name = Objects.requireNonNull(name, "name");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.dispatcher = Objects.requireNonNull(factory, "factory").create(name);
    // TODO: the thread (named after the worker), the state, the counters, the latches.
  }

  // LifecycleWorker

  @Override
  public String name() {
    return name;
  }

  @Override
  public WorkerState state() {
    throw new UnsupportedOperationException("TODO: state");
  }

  @Override
  public void start() {
    throw new UnsupportedOperationException("TODO: start: NEW -> STARTING, post the ready"
        + " callback, start the thread");
  }

  @Override
  public boolean awaitReady(Duration timeout) {
    throw new UnsupportedOperationException("TODO: awaitReady: wait for the first posted"
        + " callback");
  }

  @Override
  public boolean offer(Runnable request) {
    throw new UnsupportedOperationException("TODO: offer: accept and post, or reject and count");
  }

  @Override
  public RequestCounts counts() {
    throw new UnsupportedOperationException("TODO: counts");
  }

  @Override
  public RequestCounts stop() {
    throw new UnsupportedOperationException("TODO: stop: DRAINING, drain, STOPPED; every caller"
        + " waits for the end");
  }

  @Override
  public boolean isWorkerThread() {
    throw new UnsupportedOperationException("TODO: isWorkerThread");
  }
}
