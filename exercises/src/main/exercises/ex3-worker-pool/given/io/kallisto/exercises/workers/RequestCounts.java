package io.kallisto.exercises.workers;

/**
 * A worker's request counts. Every offer is counted exactly once, as {@code accepted} or as
 * {@code rejected}; every accepted request that has run is counted exactly once, as
 * {@code completed} (it returned) or as {@code failed} (it threw). Once the worker is
 * {@link WorkerState#STOPPED}, {@code accepted == completed + failed}.
 *
 * <p>Given: do not change it.
 *
 * @param accepted offers that returned true: each runs exactly once
 * @param completed accepted requests that ran and returned normally
 * @param failed accepted requests that ran and threw (each was reported to the
 *     {@link RequestErrorHandler})
 * @param rejected offers that returned false: none of them runs, ever
 */
public record RequestCounts(long accepted, long completed, long failed, long rejected) {
  /** No request at all. */
  public static final RequestCounts NONE = new RequestCounts(0, 0, 0, 0);

  /** Requests that have run, whether they returned or threw. */
  public long ran() {
    return completed + failed;
  }

  /** Every offer made: accepted or rejected. */
  public long offered() {
    return accepted + rejected;
  }

  /** The four counts added one by one, for a pool's total. */
  public RequestCounts plus(RequestCounts other) {
    return new RequestCounts(accepted + other.accepted, completed + other.completed,
        failed + other.failed, rejected + other.rejected);
  }
}
