package io.kallisto.sim;

import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.net.ConnectionBalancer;
import io.kallisto.net.RequestServerHandler;
import io.kallisto.net.Server;
import io.kallisto.net.StreamReceiver;
import io.kallisto.net.WorkerCounters;
import io.kallisto.trace.NamedTask;
import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;

/**
 * The request/response server of {@code kallisto run}, on simulated workers: the engine's own
 * {@link RequestServerHandler} per connection, spending service time with {@link Simulate}, and
 * the same two listener modes as {@link Server}:
 * <ul>
 *   <li>{@link #reusePort}: every worker accepts for itself, and the "kernel" picks the worker by
 *       a hash of the connection (seeded: one fixed port-like number per connection), so nothing
 *       evens the counts out;
 *   <li>{@link #singleAcceptor}: one acceptor loop accepts everything and posts each connection
 *       to the worker a {@link ConnectionBalancer} picks.
 * </ul>
 * Each accept costs {@link SimulationCosts#ioNanos()} on the loop that accepts.
 */
public final class SimulatedServer {
  /** How a simulated request spends its service time: virtual CPU, or a blocked thread. */
  static final RequestServerHandler.Work SIMULATED_WORK = new RequestServerHandler.Work() {
    @Override
    public long now() {
      return Simulate.now();
    }

    @Override
    public void spin(long start, long nanos) {
      Simulate.cpu(nanos);
    }

    @Override
    public void block(long start, long nanos) {
      Simulate.sleep(java.time.Duration.ofNanos(nanos));
    }
  };

  private final SimulatedWorkerPool pool;
  private final WorkerCounters[] counters;
  private final SimulatedDispatcher acceptor; // null in reuse-port mode
  private final ConnectionBalancer balancer;
  private final long seed;

  private SimulatedServer(SimulatedWorkerPool pool, SimulatedDispatcher acceptor,
      ConnectionBalancer balancer, long seed) {
    this.pool = pool;
    this.acceptor = acceptor;
    this.balancer = balancer;
    this.seed = seed;
    counters = new WorkerCounters[pool.size()];
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new WorkerCounters(pool.worker(i).name());
    }
  }

  /** Every worker accepts; a seeded hash of each connection picks which. */
  public static SimulatedServer reusePort(SimulatedWorkerPool pool, long seed) {
    return new SimulatedServer(pool, null, null, seed);
  }

  /** {@code acceptor} accepts every connection and hands it out by {@code balancer}. */
  public static SimulatedServer singleAcceptor(SimulatedWorkerPool pool,
      SimulatedDispatcher acceptor, ConnectionBalancer balancer) {
    return new SimulatedServer(pool, acceptor, balancer, 0);
  }

  /** The counters of worker {@code index}. */
  public WorkerCounters counters(int index) {
    return counters[index];
  }

  /** A connection's server end reaches the listener at {@code arrival}. */
  void incoming(SimStream serverEnd, long sequence, long arrival) {
    if (acceptor == null) {
      int worker = (int) Long.remainderUnsigned(mix(seed * 0x9E3779B97F4A7C15L + sequence),
          counters.length);
      SimulatedDispatcher d = pool.simulatedWorker(worker).simulatedDispatcher();
      d.deliver(arrival, accept(serverEnd, worker), FileReadyType.READ, (int) serverEnd.id());
    } else {
      acceptor.deliver(arrival, FileReadyCallback.named(Server.ACCEPT_CONNECTION, events -> {
        Simulate.cpu(acceptor.simulation().costs().ioNanos()); // accept()
        int worker = balancer.pick(counters);
        counters[worker].connectionAssigned();
        pool.simulatedWorker(worker).simulatedDispatcher()
            .post(NamedTask.of(Server.OPEN_CONNECTION, () -> open(serverEnd, worker)));
      }), FileReadyType.READ, (int) serverEnd.id());
    }
  }

  /** Reuse-port: the chosen worker's own listener accepts. */
  private FileReadyCallback accept(SimStream serverEnd, int worker) {
    return FileReadyCallback.named(Server.ACCEPT_CONNECTION, events -> {
      Simulate.cpu(pool.simulatedWorker(worker).simulatedDispatcher().simulation().costs()
          .ioNanos());
      counters[worker].connectionAssigned();
      open(serverEnd, worker);
    });
  }

  private void open(SimStream serverEnd, int worker) {
    WorkerCounters c = counters[worker];
    RequestServerHandler handler = new RequestServerHandler(c, SIMULATED_WORK);
    serverEnd.attach(pool.simulatedWorker(worker).simulatedDispatcher(), new StreamReceiver() {
      @Override
      public void onData(ByteBuffer data) {
        handler.onData(serverEnd, data);
      }

      @Override
      public void onClosed(String reason) {
        c.connectionClosed();
        Tracing.counter(Server.OPEN_CONNECTIONS, c.activeConnections());
      }

      @Override
      public String traceName() {
        return handler.traceName();
      }
    });
    Tracing.counter(Server.OPEN_CONNECTIONS, c.activeConnections());
  }

  /** SplitMix64's finalizer: a well-spread hash of a connection's number. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
