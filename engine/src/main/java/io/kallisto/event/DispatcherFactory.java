package io.kallisto.event;

/** Makes the dispatcher for a worker; how {@link WorkerPool} is told which backend to use. */
@FunctionalInterface
public interface DispatcherFactory {
  /** Creates a dispatcher named {@code name}. Ownership passes to the caller. */
  Dispatcher create(String name);
}
