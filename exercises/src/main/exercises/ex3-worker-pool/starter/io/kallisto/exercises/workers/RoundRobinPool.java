package io.kallisto.exercises.workers;

import io.kallisto.event.DispatcherFactory;
import java.util.Objects;

/** YOUR {@link LifecyclePool} of {@link LoopWorker}s, named {@code worker-0} onwards. */
public final class RoundRobinPool implements LifecyclePool {

  /**
   * {@code size} NEW workers, {@code worker-0} to {@code worker-<size - 1>}.
   *
   * @param errors told about every request that throws, on that request's worker
   * @throws IllegalArgumentException if {@code size} is less than 1
   * @throws RuntimeException whatever {@code factory} throws, after the dispatchers it had
   *     already made are closed: a pool that cannot be built leaks nothing
   */
  public RoundRobinPool(int size, DispatcherFactory factory, RequestErrorHandler errors) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(errors, "errors");
    // TODO: make the workers.
  }

  // LifecyclePool

  @Override
  public void start() {
    throw new UnsupportedOperationException("TODO: start every worker, then wait for each");
  }

  @Override
  public int size() {
    throw new UnsupportedOperationException("TODO: size");
  }

  @Override
  public LifecycleWorker worker(int index) {
    throw new UnsupportedOperationException("TODO: worker");
  }

  @Override
  public boolean dispatch(Runnable request) {
    throw new UnsupportedOperationException("TODO: dispatch: the next worker, round robin");
  }

  @Override
  public RequestCounts counts() {
    throw new UnsupportedOperationException("TODO: counts: the sum");
  }

  @Override
  public RequestCounts stop() {
    throw new UnsupportedOperationException("TODO: stop every worker at once, sum their counts");
  }
}
