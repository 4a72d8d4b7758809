package io.kallisto.exercises.workers;

/**
 * Told about every request that throws, so that a failure is seen and the worker can go on
 * serving. Called on the worker's thread, once per failed request, after the request threw.
 *
 * <pre>{@code
 * RequestErrorHandler log = (worker, error) ->
 *     System.err.println(worker + ": request failed: " + error);
 * }</pre>
 *
 * <p><b>Note:</b> a handler that throws in turn is the worker's problem too: the worker logs
 * that and goes on serving.
 *
 * <p>Given: do not change it.
 */
@FunctionalInterface
public interface RequestErrorHandler {
  /**
   * A request on worker {@code workerName} threw {@code error} (any {@link Throwable}, an
   * {@link Error} such as {@link AssertionError} included). Called on that worker's thread.
   */
  void requestFailed(String workerName, Throwable error);
}
