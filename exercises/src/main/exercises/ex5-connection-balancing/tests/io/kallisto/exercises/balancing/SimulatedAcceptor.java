package io.kallisto.exercises.balancing;

import io.kallisto.exercises.balancing.CheckedCounts.Breach;
import io.kallisto.net.Server;
import io.kallisto.sim.Simulate;
import io.kallisto.sim.SimulatedDispatcher;
import io.kallisto.sim.Simulation;
import io.kallisto.trace.Tracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A single acceptor with YOUR balancer, on the deterministic simulated backend: an acceptor
 * loop, worker loops and client loops of one {@link Simulation}, which runs them in an
 * interleaving its seed picks. Part of the tests; do not change it.
 *
 * <p>A connection's life, each step on its own loop, as a socket's would be:
 * <ol>
 *   <li>a client opens it (a timer on the client's loop) and it reaches the acceptor (a post);
 *   <li>the acceptor calls {@code assign()} and posts the connection to that worker;
 *   <li>the worker serves it until it closes: the client closes it (a post to the worker, which
 *       may even arrive before the connection does), or the worker does, a set time after it
 *       opened; on the close, the worker calls {@code connectionClosed(w)}.
 * </ol>
 * What each worker really has open (the truth) is kept on the worker's loop; the counts are
 * YOUR {@link HeapConnectionCounts} behind a {@link CheckedCounts} that checks each call.
 */
final class SimulatedAcceptor {
  /** One simulated connection. Its fields are touched by one loop at a time, as noted. */
  static final class Conn {
    final int id;
    final int client;
    int worker = -1; // set by the acceptor
    long serverLifetime = -1; // ns from open to the worker closing it; -1: the worker never does
    boolean finPending; // client: closed before the acceptor had assigned it
    boolean opened; // worker: serve() has run
    boolean finArrived; // worker: the client's close came before serve()
    boolean serverClosed; // worker: closed, and reported

    Conn(int id, int client) {
      this.id = id;
      this.client = client;
    }

    @Override
    public String toString() {
      return "connection " + id;
    }
  }

  final Simulation sim;
  final SimulatedDispatcher acceptor;
  final SimulatedDispatcher[] workers;
  final SimulatedDispatcher[] clients;
  final CheckedCounts counts;
  final AcceptorBalancer balancer;
  private final AtomicLongArray reported;
  private final List<Set<Conn>> live = new ArrayList<>(); // per worker, on its loop
  private final List<Conn> all = new ArrayList<>();
  private int accepted;
  private int closed;

  /** An acceptor, {@code workers} workers and {@code clients} clients on {@code sim}. */
  SimulatedAcceptor(Simulation sim, int workers, int clients) {
    this.sim = sim;
    acceptor = sim.createDispatcher("acceptor");
    this.workers = new SimulatedDispatcher[workers];
    for (int w = 0; w < workers; w++) {
      this.workers[w] = sim.createDispatcher("worker-" + w);
      live.add(Collections.newSetFromMap(new IdentityHashMap<>()));
    }
    this.clients = new SimulatedDispatcher[clients];
    for (int c = 0; c < clients; c++) {
      this.clients[c] = sim.createDispatcher("client-" + c);
    }
    reported = new AtomicLongArray(workers);
    counts = new CheckedCounts(new HeapConnectionCounts(workers), acceptor, reported);
    balancer = new PostingAcceptorBalancer(acceptor, counts);
  }

  // ---- the script: call these between runs of the simulation ----------------------------------

  /** {@code n} connections that client {@code client} opens together at virtual time {@code at}. */
  List<Conn> openAt(int client, long at, int n) {
    List<Conn> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Conn c = new Conn(all.size(), client);
      all.add(c);
      batch.add(c);
    }
    SimulatedDispatcher loop = clients[client];
    loop.createTimer(() -> {
      for (Conn c : batch) {
        Simulate.cpu(sim.costs().ioNanos()); // connect()
        acceptor.post(() -> accept(c));
      }
    }).enableAt(at);
    return batch;
  }

  /** The client closes {@code c} at virtual time {@code at} (a timer on its loop). */
  void clientClosesAt(Conn c, long at) {
    clients[c.client].createTimer(() -> clientClose(c)).enableAt(at);
  }

  /** The worker closes {@code c} {@code lifetime} after serving it. Before it is opened. */
  void serverClosesAfter(Conn c, Duration lifetime) {
    c.serverLifetime = lifetime.toNanos();
  }

  /** Every connection scripted so far. */
  List<Conn> connections() {
    return all;
  }

  /** Runs the simulation until nothing is left to happen. */
  void run() {
    sim.runUntilIdle();
  }

  // ---- the connection's life ------------------------------------------------------------------

  /** Acceptor's loop. */
  private void accept(Conn c) {
    Simulate.cpu(sim.costs().ioNanos()); // accept()
    accepted++;
    int w = counts.assign(balancer);
    if (w < 0) {
      return; // recorded; the connection is dropped
    }
    c.worker = w;
    workers[w].post(() -> serve(c));
    if (c.finPending) {
      workers[w].post(() -> fin(c)); // the client closed it while it waited in the backlog
    }
  }

  /** Client's loop. */
  private void clientClose(Conn c) {
    Simulate.cpu(sim.costs().ioNanos()); // close()
    if (c.worker >= 0) {
      workers[c.worker].post(() -> fin(c));
    } else {
      c.finPending = true;
    }
  }

  /** Worker {@code c.worker}'s loop. */
  private void serve(Conn c) {
    Simulate.cpu(sim.costs().ioNanos());
    c.opened = true;
    if (c.finArrived) {
      closeOnWorker(c);
      return;
    }
    Set<Conn> mine = live.get(c.worker);
    mine.add(c);
    Tracing.counter(Server.OPEN_CONNECTIONS, mine.size());
    if (c.serverLifetime >= 0) {
      workers[c.worker].createTimer(() -> closeOnWorker(c))
          .enable(Duration.ofNanos(c.serverLifetime));
    }
  }

  /** Worker's loop: the client's close arrives. */
  private void fin(Conn c) {
    if (!c.opened) {
      c.finArrived = true; // serve() will close it
      return;
    }
    closeOnWorker(c);
  }

  /** Worker's loop: the connection closes, once, and the worker reports it. */
  private void closeOnWorker(Conn c) {
    if (c.serverClosed) {
      return;
    }
    c.serverClosed = true;
    closed++;
    Set<Conn> mine = live.get(c.worker);
    mine.remove(c);
    Tracing.counter(Server.OPEN_CONNECTIONS, mine.size());
    reported.incrementAndGet(c.worker);
    try {
      balancer.connectionClosed(c.worker);
    } catch (RuntimeException e) {
      counts.record(Breach.THREW, "connectionClosed(" + c.worker + ") on worker-" + c.worker
          + "'s loop threw " + e);
    }
  }

  // ---- what the tests look at, between runs ---------------------------------------------------

  /** What each worker really has open. */
  int[] truth() {
    int[] t = new int[workers.length];
    for (int w = 0; w < t.length; w++) {
      t[w] = live.get(w).size();
    }
    return t;
  }

  /** The counts as the acceptor holds them (through the model), read on its loop. */
  int[] counted() {
    return sim.call(acceptor, counts::modelCounts);
  }

  /** YOUR counts, read with {@code count(w)} on the acceptor's loop. */
  int[] yourCounts() {
    return sim.call(acceptor, counts::reportedByYou);
  }

  /** Connections the acceptor accepted. */
  int accepted() {
    return accepted;
  }

  /** Connections closed on the workers. */
  int closed() {
    return closed;
  }

  /**
   * Null if, with the simulation idle, every worker's count is what it really has open, in the
   * model and by YOUR {@code count(w)}, and each close was counted once; else what differs.
   */
  String settledMismatch() {
    int[] truth = truth();
    int[] model = counted();
    int[] yours = yourCounts();
    long[] applied = sim.call(acceptor, counts::closesCounted);
    for (int w = 0; w < truth.length; w++) {
      if (applied[w] != reported.get(w)) {
        return "worker " + w + " had " + reported.get(w) + " connection(s) close and "
            + applied[w] + " close(s) counted on it (each close counts once, on its own"
            + " worker)";
      }
    }
    if (!Arrays.equals(truth, model) || !Arrays.equals(truth, yours)) {
      return "the workers have " + Arrays.toString(truth) + " open, once every close was"
          + " counted, and the acceptor counted "
          + Arrays.toString(model) + (Arrays.equals(model, yours) ? ""
              : " and your count(w) says " + Arrays.toString(yours));
    }
    return null;
  }

  /** max - min of {@code counts}. */
  static int spread(int[] counts) {
    return Arrays.stream(counts).max().getAsInt() - Arrays.stream(counts).min().getAsInt();
  }

  /** One virtual millisecond, in ns. */
  static long ms(double n) {
    return (long) (n * 1_000_000);
  }
}
