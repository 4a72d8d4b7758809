package io.kallisto.net;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.Worker;
import io.kallisto.event.WorkerPool;
import io.kallisto.trace.NamedTask;
import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A TCP server on 127.0.0.1 over a started {@link WorkerPool}: connections are accepted, then
 * served on one worker's loop for their whole life. Two ways to spread them:
 *
 * <ul>
 *   <li>{@link #reusePort}: one {@code SO_REUSEPORT} listener per worker (Envoy's default,
 *       {@code enable_reuse_port} in api/envoy/config/listener/v3/listener.proto), and the kernel
 *       picks a listener by a hash of each connection's addresses and ports
 *       ({@code inet_lookup_reuseport}, net/ipv4/inet_hashtables.c). No thread hands anything
 *       over, but nothing evens the counts out either.
 *   <li>{@link #singleAcceptor}: one listener on an acceptor thread of its own, which hands each
 *       connection to the worker a {@link ConnectionBalancer} picks, by a post. Envoy has no such
 *       thread (docs/envoy-fidelity.md).
 * </ul>
 *
 * <p>Every method is safe from any thread. The pool must be running and must outlive the server.
 *
 * <pre>{@code
 * try (Server s = Server.reusePort(pool, counters -> new EchoHandler())) {
 *   connect to 127.0.0.1:s.port() ...
 * }
 * }</pre>
 */
public final class Server implements AutoCloseable {
  /** The trace counter each worker records when its number of open connections changes. */
  public static final String OPEN_CONNECTIONS = "open connections";

  /** The trace label of the post that hands an accepted connection to its worker. */
  public static final String OPEN_CONNECTION = "open connection";

  /** The trace label of a listener's readiness callback, which accepts connections. */
  public static final String ACCEPT_CONNECTION = "accept connection";

  private final WorkerPool pool;
  private final Function<WorkerCounters, ConnectionHandler> handlers;
  private final WorkerCounters[] counters;
  private final List<Set<Connection>> open = new ArrayList<>(); // per worker, its loop only
  private final List<Listener> listeners = new ArrayList<>();
  private final Worker acceptor;
  private final ConnectionBalancer balancer;
  private final ConnectionConfig config;
  private final int port;
  private boolean closed;

  private Server(WorkerPool pool, Function<WorkerCounters, ConnectionHandler> handlers,
      ConnectionBalancer balancer, ConnectionConfig config) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.config = Objects.requireNonNull(config, "config");
    this.handlers = Objects.requireNonNull(handlers, "handlers");
    this.balancer = balancer;
    counters = new WorkerCounters[pool.size()];
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new WorkerCounters(pool.worker(i).name());
      open.add(Collections.newSetFromMap(new IdentityHashMap<>()));
    }
    if (balancer == null) {
      acceptor = null;
      port = openReusePortListeners();
    } else {
      // Same backend as the workers: what the acceptor accepts, they must be able to serve.
      acceptor = Worker.create("acceptor",
          Dispatchers.sameBackendAs(pool.worker(0).dispatcher()));
      acceptor.start();
      acceptor.awaitReady();
      Dispatcher d = acceptor.dispatcher();
      port = Dispatchers.callOnLoop(d, () -> {
        Listener l = Transports.listen(d, 0, false, this::handOff);
        listeners.add(l);
        return l.port();
      });
    }
  }

  /**
   * A server with one {@code SO_REUSEPORT} listener per worker on one ephemeral port.
   *
   * @param handlers makes the handler for each connection, given its worker's counters
   */
  public static Server reusePort(WorkerPool pool,
      Function<WorkerCounters, ConnectionHandler> handlers) {
    return reusePort(pool, ConnectionConfig.DEFAULT, handlers);
  }

  /** As {@link #reusePort(WorkerPool, Function)}, with {@code config} for every connection. */
  public static Server reusePort(WorkerPool pool, ConnectionConfig config,
      Function<WorkerCounters, ConnectionHandler> handlers) {
    return new Server(pool, handlers, null, config);
  }

  /** A server whose acceptor thread hands connections to workers chosen by {@code balancer}. */
  public static Server singleAcceptor(WorkerPool pool, ConnectionBalancer balancer,
      Function<WorkerCounters, ConnectionHandler> handlers) {
    return singleAcceptor(pool, balancer, ConnectionConfig.DEFAULT, handlers);
  }

  /** As {@link #singleAcceptor(WorkerPool, ConnectionBalancer, Function)}, with {@code config}. */
  public static Server singleAcceptor(WorkerPool pool, ConnectionBalancer balancer,
      ConnectionConfig config, Function<WorkerCounters, ConnectionHandler> handlers) {
    return new Server(pool, handlers, Objects.requireNonNull(balancer, "balancer"), config);
  }

  /** The port on 127.0.0.1 that clients connect to. */
  public int port() {
    return port;
  }

  /** Worker {@code index}'s counters. */
  public WorkerCounters counters(int index) {
    return counters[index];
  }

  /** The number of workers. */
  public int workers() {
    return counters.length;
  }

  private int openReusePortListeners() {
    // The first listener picks the port; the others join it.
    int first = 0;
    for (int i = 0; i < counters.length; i++) {
      int index = i;
      int bind = first;
      Dispatcher d = pool.worker(i).dispatcher();
      int bound = Dispatchers.callOnLoop(d, () -> {
        Listener l = Transports.listen(d, bind, true, socket -> serve(index, socket));
        synchronized (listeners) {
          listeners.add(l);
        }
        return l.port();
      });
      if (i == 0) {
        first = bound;
      }
    }
    return first;
  }

  /** On the acceptor's loop: pick a worker, count the connection there, post it over. */
  private void handOff(AcceptedSocket socket) {
    int index = balancer.pick(counters);
    counters[index].connectionAssigned();
    try {
      pool.worker(index).dispatcher()
          .post(NamedTask.of(OPEN_CONNECTION, () -> open(index, socket)));
    } catch (RuntimeException stopped) {
      counters[index].connectionClosed();
      throw stopped; // the listener closes the socket
    }
  }

  /** On worker {@code index}'s loop, for a connection its own listener accepted. */
  private void serve(int index, AcceptedSocket socket) {
    counters[index].connectionAssigned();
    open(index, socket);
  }

  private void open(int index, AcceptedSocket socket) {
    Dispatcher d = pool.worker(index).dispatcher();
    Set<Connection> mine = open.get(index);
    ConnectionHandler handler = new Tracked(handlers.apply(counters[index]), mine, counters[index]);
    try {
      mine.add(new Connection(d, cb -> socket.open(d, cb), handler, config));
      Tracing.counter(OPEN_CONNECTIONS, mine.size());
    } catch (RuntimeException e) {
      counters[index].connectionClosed();
      socket.close(); // unless the transport took it (and then closed it itself)
      throw e;
    }
  }

  /**
   * Stops accepting and closes every open connection, each on its own loop; returns when done.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (acceptor != null) {
      Dispatchers.callOnLoop(acceptor.dispatcher(), () -> {
        listeners.forEach(Listener::close);
        return null;
      });
      acceptor.stop();
    }
    List<Dispatcher> workers = new ArrayList<>();
    for (int i = 0; i < counters.length; i++) {
      workers.add(pool.worker(i).dispatcher());
    }
    // Every worker at once: with 256 of them, one round trip after another adds up.
    Dispatchers.runOnEach(workers, index -> {
      if (acceptor == null) {
        synchronized (listeners) {
          listeners.get(index).close();
        }
      }
      for (Connection c : new ArrayList<>(open.get(index))) {
        c.close();
      }
    });
  }

  /** Keeps a worker's set of open connections and its active count current. */
  private static final class Tracked implements ConnectionHandler {
    private final ConnectionHandler inner;
    private final Set<Connection> open;
    private final WorkerCounters counters;

    Tracked(ConnectionHandler inner, Set<Connection> open, WorkerCounters counters) {
      this.inner = inner;
      this.open = open;
      this.counters = counters;
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
      inner.onData(connection, data);
    }

    @Override
    public void onClosed(Connection connection, String reason) {
      open.remove(connection);
      Tracing.counter(OPEN_CONNECTIONS, open.size());
      counters.connectionClosed();
      counters.addWritesBlocked(connection.writesBlocked());
      inner.onClosed(connection, reason);
    }

    @Override
    public void onAboveHighWatermark(Connection connection) {
      inner.onAboveHighWatermark(connection);
    }

    @Override
    public void onBelowLowWatermark(Connection connection) {
      inner.onBelowLowWatermark(connection);
    }

    @Override
    public String traceName() {
      return inner.traceName();
    }
  }
}
