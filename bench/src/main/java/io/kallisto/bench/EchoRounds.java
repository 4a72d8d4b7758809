package io.kallisto.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The round trips of one benchmark operation, shared by all of a client's connections: how many
 * are still to be sent and to come back, each one's time, and the first failure.
 *
 * <p><b>Threads.</b> {@link #begin}, {@link #issue}, {@link #completed} and {@link #fail} run on
 * the client's loop thread only. The benchmark thread reads {@link #latency()} and
 * {@link #failure()} after the operation's latch opened, and resets the histogram between
 * operations; the latch and the post that starts the next operation order those accesses.
 */
final class EchoRounds {
  private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Histogram latency = new Histogram(1, MAX_NANOS, 3);
  private int toIssue;
  private int toComplete;
  private CountDownLatch done;
  private String failure;

  /**
   * Starts an operation of {@code roundTrips}; {@code done} opens when all came back, or at once
   * if an earlier failure (say, a connection that closed between operations) broke the peer.
   */
  void begin(int roundTrips, CountDownLatch done) {
    if (roundTrips <= 0) {
      throw new IllegalArgumentException("roundTrips=" + roundTrips + " must be > 0");
    }
    this.toIssue = roundTrips;
    this.toComplete = roundTrips;
    this.done = done;
    if (failure != null) {
      done.countDown();
    }
  }

  /** Takes one round trip to send, if any is left: true means the caller must send it. */
  boolean issue() {
    if (toIssue == 0 || failure != null) {
      return false;
    }
    toIssue--;
    return true;
  }

  /** One round trip came back whole after {@code nanos}. */
  void completed(long nanos) {
    latency.recordValue(Math.max(1, Math.min(nanos, MAX_NANOS)));
    if (--toComplete == 0 && done != null) {
      done.countDown();
    }
  }

  /** Fails this and every later operation with {@code why}; the first failure wins. */
  void fail(String why) {
    if (failure == null) {
      failure = why;
      if (done != null) {
        done.countDown();
      }
    }
  }

  /** The first failure, or null. Benchmark thread, after the latch. */
  String failure() {
    return failure;
  }

  /** Every round trip's time in ns, across operations until reset. */
  Histogram latency() {
    return latency;
  }
}
