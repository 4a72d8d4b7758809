package io.kallisto.net;

import io.kallisto.event.Backend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatchers;
import io.kallisto.event.LoopThread;
import io.kallisto.event.WorkerPool;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A single acceptor spreads connections by policy; counts are read from the server. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ServerBalancingTest {
  @Parameter Backend backend;

  @org.junit.jupiter.api.BeforeEach
  void backendApplies() {
    assumeTrue(backend.servesSockets(), "simulated loops serve SimNetwork streams, not"
        + " sockets; SimulatedScenarioTest runs the same traffic in virtual time");
  }

  private static final ConnectionHandler IGNORE = new ConnectionHandler() {
    @Override
    public void onData(Connection c, ByteBuffer data) {
      data.position(data.limit());
    }

    @Override
    public void onClosed(Connection c, String reason) {}
  };

  /** A server whose workers release a permit when a connection is set up and when one closes. */
  private final class Fixture implements AutoCloseable {
    final WorkerPool pool;
    final Server server;
    final LoopThread client;
    final Semaphore opened = new Semaphore(0);
    final Semaphore closed = new Semaphore(0);
    final List<Connection> connections = new ArrayList<>();

    Fixture(int workers, ConnectionBalancer balancer) throws Exception {
      pool = WorkerPool.create(workers, backend.factory());
      pool.start();
      server = Server.singleAcceptor(pool, balancer, counters -> {
        opened.release();
        return new ConnectionHandler() {
          @Override
          public void onData(Connection c, ByteBuffer data) {
            data.position(data.limit());
          }

          @Override
          public void onClosed(Connection c, String reason) {
            closed.release();
          }
        };
      });
      client = new LoopThread(backend.create("client"));
    }

    /** Opens {@code n} connections one after another, each set up before the next. */
    void open(int n) throws Exception {
      for (int i = 0; i < n; i++) {
        connections.add(client.call(() -> new Connection(client.dispatcher,
            cb -> Transports.connect(client.dispatcher, server.port(), cb), IGNORE)));
        assertTrue(opened.tryAcquire(10, TimeUnit.SECONDS), "connection not set up");
      }
    }

    void closeSome(List<Connection> victims) throws Exception {
      client.run(() -> victims.forEach(Connection::close));
      connections.removeAll(victims);
      assertTrue(closed.tryAcquire(victims.size(), 10, TimeUnit.SECONDS), "close not seen");
    }

    int[] counts() {
      int[] c = new int[server.workers()];
      for (int i = 0; i < c.length; i++) {
        c[i] = server.counters(i).activeConnections();
      }
      return c;
    }

    @Override
    public void close() throws Exception {
      client.run(() -> connections.forEach(Connection::close));
      client.close();
      server.close();
      pool.stop();
    }
  }

  private static int spread(int[] counts) {
    return Arrays.stream(counts).max().getAsInt() - Arrays.stream(counts).min().getAsInt();
  }

  @Test
  void leastConnectionsKeepsPerWorkerCountsWithinOneUnderChurn() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (Fixture f = new Fixture(3, ConnectionBalancer.leastConnections())) {
        SplittableRandom random = new SplittableRandom(7);
        f.open(10);
        assertTrue(spread(f.counts()) <= 1, Arrays.toString(f.counts()));
        for (int round = 0; round < 5; round++) {
          List<Connection> victims = new ArrayList<>();
          for (Connection c : f.connections) {
            if (random.nextInt(3) == 0) {
              victims.add(c);
            }
          }
          f.closeSome(victims);
          int[] counts = f.counts();
          int max = Arrays.stream(counts).max().getAsInt();
          int deficit = Arrays.stream(counts).map(c -> max - c).sum();
          // New connections fill the emptiest workers first, so once the deficit is refilled
          // the counts are level again, and stay within one as more arrive.
          f.open(deficit + random.nextInt(4));
          assertTrue(spread(f.counts()) <= 1, "round " + round + ": "
              + Arrays.toString(f.counts()));
        }
      }
    });
  }

  @Test
  void roundRobinDealsConnectionsInTurn() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (Fixture f = new Fixture(3, ConnectionBalancer.roundRobin())) {
        f.open(7);
        assertArrayEquals(new int[] {3, 2, 2}, f.counts());
      }
    });
  }

  @Test
  void randomOfTwoSpreadsConnectionsNearlyEvenly() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (Fixture f = new Fixture(4, ConnectionBalancer.randomOfTwo(42))) {
        f.open(40);
        assertTrue(spread(f.counts()) <= 2, Arrays.toString(f.counts()));
      }
    });
  }
}
