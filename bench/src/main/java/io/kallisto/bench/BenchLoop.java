package io.kallisto.bench;

/**
 * One event loop under test, seen through the few operations the benchmarks need. Each
 * implementation owns one loop thread, started by its constructor and stopped by {@link #close()}.
 *
 * <p>{@link #execute} and {@link #close} are safe from any thread;
 * {@link #schedule} and {@link #cancel} are loop-only, as they are in Kallisto, so the
 * benchmarks call them from a task already running on the loop.
 */
public interface BenchLoop extends AutoCloseable {
  /** The name used in {@code @Param} values and in the result table. */
  String name();

  /** Runs {@code task} on the loop thread, in the order posted. Safe from any thread. */
  void execute(Runnable task);

  /**
   * Schedules {@code task} to run once, {@code delayNanos} from now, and returns a handle for
   * {@link #cancel}. Loop-only.
   */
  Object schedule(Runnable task, long delayNanos);

  /** Cancels a timer {@link #schedule} returned, if it has not fired. Loop-only. */
  void cancel(Object handle);

  /** Stops the loop thread, waiting a bounded time, and releases the loop's resources. */
  @Override
  void close();
}
