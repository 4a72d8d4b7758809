package io.kallisto.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;

/**
 * An echo server and its client, each on one loop thread of its own, joined by
 * {@value #CONNECTIONS} connections over 127.0.0.1: the workload of {@link EchoBenchmark}.
 *
 * <pre>{@code
 * try (EchoPeer peer = EchoPeer.open(Loops.KALLISTO)) {
 *   peer.roundTrips(10_000);                       // blocks, at most Await.TIMEOUT_SECONDS
 *   long p99 = peer.latency().getValueAtPercentile(99);
 * }
 * }</pre>
 *
 * <p>{@link #roundTrips} and {@link #close} are called from one thread, the benchmark's; a
 * subclass opens both loops and all connections in its constructor and adds one
 * {@link EchoExchange} per client connection to {@link #exchanges}.
 */
abstract class EchoPeer implements AutoCloseable {
  /** Client connections, each with one message outstanding. */
  static final int CONNECTIONS = 64;

  /** The peers {@link #open} knows, Kallisto first. */
  static final String[] KINDS = {Loops.KALLISTO, Loops.NETTY_EPOLL, Loops.NETTY_NIO};

  protected final EchoRounds rounds = new EchoRounds();
  /** Filled by the subclass's constructor; used on the client loop only afterwards. */
  protected final List<EchoExchange> exchanges = new ArrayList<>(CONNECTIONS);
  private final Runnable startAll = this::startAll;
  private final String name;

  EchoPeer(String name) {
    this.name = name;
  }

  /**
   * Opens the server and the client of kind {@code kind}, connects them, and checks one round
   * trip on every connection.
   */
  static EchoPeer open(String kind) {
    EchoPeer peer;
    switch (kind) {
      case Loops.KALLISTO:
        peer = new KallistoEcho();
        break;
      case Loops.NETTY_EPOLL:
        peer = NettyEcho.epoll();
        break;
      case Loops.NETTY_NIO:
        peer = NettyEcho.nio();
        break;
      default:
        throw new IllegalArgumentException("loop=" + kind + " has no echo peer; use one of "
            + String.join(", ", KINDS));
    }
    boolean success = false;
    try {
      peer.roundTrips(CONNECTIONS);
      peer.latency().reset();
      success = true;
      return peer;
    } finally {
      if (!success) {
        peer.close();
      }
    }
  }

  /** The kind, as in {@code @Param("loop")}. */
  final String name() {
    return name;
  }

  /**
   * Sends {@code count} messages spread over the connections, one outstanding per connection,
   * and waits until every echo has come back and matched. Each round trip's time goes into
   * {@link #latency()}.
   *
   * @throws IllegalStateException if an echo did not match, a connection closed, or the round
   *     trips did not finish within {@link Await#TIMEOUT_SECONDS}
   */
  final void roundTrips(int count) {
    CountDownLatch done = new CountDownLatch(1);
    onClientLoop(() -> {
      rounds.begin(count, done);
      try {
        startAll.run();
      } catch (RuntimeException e) { // loops only log what a task throws; the caller must see it
        rounds.fail("starting the round trips threw " + e);
      }
    });
    Await.latch(done, count + " echo round trips on " + name);
    String failure = rounds.failure();
    if (failure != null) {
      throw new IllegalStateException("echo on " + name + " failed: " + failure);
    }
  }

  /** Round-trip times in ns, recorded on the client loop; reset only between operations. */
  final Histogram latency() {
    return rounds.latency();
  }

  /** Runs {@code task} on the client's loop thread. Safe from any thread. */
  protected abstract void onClientLoop(Runnable task);

  private void startAll() {
    for (EchoExchange e : exchanges) {
      e.sendNextIfDue();
    }
  }

  /** Closes the client's connections, then the server, then both loops; bounded in time. */
  @Override
  public abstract void close();
}
