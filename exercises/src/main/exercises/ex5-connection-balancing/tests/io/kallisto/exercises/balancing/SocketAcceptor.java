package io.kallisto.exercises.balancing;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.Worker;
import io.kallisto.event.WorkerPool;
import io.kallisto.exercises.balancing.CheckedCounts.Breach;
import io.kallisto.net.AcceptedSocket;
import io.kallisto.net.Connection;
import io.kallisto.net.ConnectionHandler;
import io.kallisto.net.Listener;
import io.kallisto.net.Server;
import io.kallisto.net.Transports;
import io.kallisto.trace.Tracing;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A single acceptor with YOUR balancer on real sockets on 127.0.0.1: an acceptor loop (its own
 * thread) accepts, calls {@code assign()} and posts each connection to a worker of a real
 * {@link WorkerPool}; the worker serves it until it closes, then calls
 * {@code connectionClosed(w)}. This is what the engine's {@code Server.singleAcceptor} does,
 * with YOUR balancer in place of {@code ConnectionBalancer} and its close hook added. Part of the
 * tests; do not change it.
 *
 * <p>Clients are loops of their own. The server greets each connection with one byte {@code h}
 * once its worker has set it up (so a client closes only connections the server has), and
 * closes a connection when it reads {@code q}: closes come from both ends. Every wait is bounded.
 */
final class SocketAcceptor implements AutoCloseable {
  private static final long WAIT_SECONDS = 20;
  private static final byte GREETING = 'h';
  private static final byte QUIT = 'q';

  final WorkerPool pool;
  final Worker acceptor;
  final CheckedCounts counts;
  final AcceptorBalancer balancer;
  private final Client[] clients;
  private final AtomicLongArray reported;
  private final List<Set<Connection>> live = new ArrayList<>(); // per worker, on its loop
  private final Listener listener;
  private final Semaphore served = new Semaphore(0);
  private final Semaphore serverClosed = new Semaphore(0);
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private volatile boolean failed; // a client lost a connection: waiting for more is pointless
  private int servedSeen; // the test thread's
  private int closedSeen; // the test thread's
  private volatile boolean acceptorStopped;
  private volatile boolean workersClosing; // the server closes connections: clients expect it

  /** Starts {@code workers} workers, the acceptor and {@code clients} client loops. */
  SocketAcceptor(int workers, int clients) {
    for (int w = 0; w < workers; w++) {
      live.add(Collections.newSetFromMap(new IdentityHashMap<>()));
    }
    reported = new AtomicLongArray(workers);
    this.clients = new Client[clients];
    pool = WorkerPool.create(workers);
    pool.start();
    acceptor = Worker.create("acceptor", Dispatchers.sameBackendAs(pool.worker(0).dispatcher()));
    boolean started = false;
    try {
      acceptor.start();
      acceptor.awaitReady();
      Dispatcher a = acceptor.dispatcher();
      // YOUR classes: if they throw here, the loops started so far are stopped below.
      counts = new CheckedCounts(new HeapConnectionCounts(workers), a, reported);
      balancer = new PostingAcceptorBalancer(a, counts);
      listener = Dispatchers.callOnLoop(a, () -> Transports.listen(a, 0, false, this::handOff));
      for (int c = 0; c < clients; c++) {
        Worker loop = Worker.create("client-" + c, Dispatchers.sameBackendAs(a));
        this.clients[c] = new Client(loop);
        loop.start();
        loop.awaitReady();
      }
      started = true;
    } finally {
      if (!started) {
        for (Client c : this.clients) {
          if (c != null) {
            c.loop.stop();
          }
        }
        acceptor.stop();
        pool.stop();
      }
    }
  }

  // ---- the server ------------------------------------------------------------------------------

  /** Acceptor's loop: pick the worker, post the connection over. */
  private void handOff(AcceptedSocket socket) {
    int w = counts.assign(balancer);
    if (w < 0) {
      socket.close(); // recorded by the counts
      return;
    }
    try {
      pool.worker(w).dispatcher().post(() -> serve(w, socket));
    } catch (RuntimeException stopped) {
      problems.add("worker " + w + " had stopped when the acceptor handed it a connection");
      socket.close();
    }
  }

  /** Worker {@code w}'s loop. */
  private void serve(int w, AcceptedSocket socket) {
    Dispatcher d = pool.worker(w).dispatcher();
    Set<Connection> mine = live.get(w);
    ConnectionHandler handler = new ConnectionHandler() {
      @Override
      public void onData(Connection c, ByteBuffer data) {
        boolean quit = false;
        while (data.hasRemaining()) {
          quit |= data.get() == QUIT;
        }
        if (quit) {
          c.close();
        }
      }

      @Override
      public void onClosed(Connection c, String reason) {
        mine.remove(c);
        Tracing.counter(Server.OPEN_CONNECTIONS, mine.size());
        closedOnWorker(w);
      }
    };
    Connection c;
    try {
      c = new Connection(d, cb -> socket.open(d, cb), handler);
    } catch (RuntimeException e) {
      socket.close();
      problems.add("worker " + w + " could not open an accepted connection: " + e);
      closedOnWorker(w); // it was counted when assigned
      return;
    }
    if (!c.isClosed()) {
      mine.add(c);
      Tracing.counter(Server.OPEN_CONNECTIONS, mine.size());
      c.send(ByteBuffer.wrap(new byte[] {GREETING}));
    }
    served.release();
  }

  /** Worker {@code w}'s loop: one of its connections closed; report it, once. */
  private void closedOnWorker(int w) {
    reported.incrementAndGet(w);
    try {
      balancer.connectionClosed(w);
    } catch (RuntimeException e) {
      counts.record(Breach.THREW, "connectionClosed(" + w + ") on worker-" + w + "'s loop threw "
          + e + (acceptorStopped ? " (the acceptor had stopped: drop the close quietly)" : ""));
    }
    serverClosed.release();
  }

  // ---- the clients -----------------------------------------------------------------------------

  /** One client loop and the connections it holds. Its fields are its loop's. */
  private final class Client {
    final Worker loop;
    final List<Connection> ready = new ArrayList<>(); // greeted: the server has them
    final Set<Connection> pending = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<Connection> leaving = Collections.newSetFromMap(new IdentityHashMap<>());
    int opened;
    int closed;
    Runnable onSettled; // runs once nothing is pending

    Client(Worker loop) {
      this.loop = loop;
    }

    Dispatcher d() {
      return loop.dispatcher();
    }

    void connect() {
      opened++;
      Connection conn = new Connection(d(), cb -> Transports.connect(d(), listener.port(), cb),
          new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
              data.position(data.limit());
              if (pending.remove(c)) {
                ready.add(c);
                settledCheck();
              }
            }

            @Override
            public void onClosed(Connection c, String reason) {
              if (!leaving.remove(c) && !workersClosing) {
                problems.add(loop.name() + ": a connection closed that it had not closed or"
                    + " asked the server to close (" + reason + ")");
                failed = true;
                pending.remove(c);
                ready.remove(c);
                settledCheck();
              }
            }
          });
      if (!conn.isClosed()) {
        pending.add(conn);
      }
    }

    /** Closes ready connection {@code i}: itself, or by asking the server to. */
    void close(int i, boolean byServer) {
      Connection c = ready.remove(i);
      closed++;
      leaving.add(c);
      if (byServer) {
        c.send(ByteBuffer.wrap(new byte[] {QUIT}));
      } else {
        c.close();
      }
    }

    void settledCheck() {
      if (pending.isEmpty() && onSettled != null) {
        Runnable r = onSettled;
        onSettled = null;
        r.run();
      }
    }
  }

  /**
   * Each of {@code clients} opens {@code n} connections in one iteration of its loop, all at
   * once; returns once the server has greeted every one of them.
   */
  void openBurst(int n, int... clients) {
    CountDownLatch settled = new CountDownLatch(clients.length);
    for (int client : clients) {
      Client c = this.clients[client];
      c.loop.post(() -> {
        for (int i = 0; i < n; i++) {
          c.connect();
        }
        c.onSettled = settled::countDown;
        c.settledCheck();
      });
    }
    await(settled, "the clients to see their " + n + " connections each greeted");
    awaitServed();
  }

  /** Client {@code client} closes its {@code n} oldest connections itself. */
  void closeOldest(int client, int n) {
    Client c = clients[client];
    Dispatchers.callOnLoop(c.d(), () -> {
      for (int i = 0; i < n; i++) {
        c.close(0, false);
      }
      return null;
    });
    awaitServerCloses();
  }

  /**
   * Every client runs {@code steps} random steps at once, each in a loop iteration of its own:
   * open a connection (while it holds fewer than {@code maxOpen}), close one itself, or ask the
   * server to close one. Returns when every client is done and the server has seen every open
   * and close; the connections still open stay open.
   */
  void churn(long seed, int steps, int maxOpen) {
    CountDownLatch done = new CountDownLatch(clients.length);
    for (int i = 0; i < clients.length; i++) {
      Client c = clients[i];
      SplittableRandom random = new SplittableRandom(seed * 31 + i);
      int[] left = {steps}; // the client loop's
      Runnable[] step = new Runnable[1];
      step[0] = () -> {
        int open = c.ready.size() + c.pending.size();
        int roll = random.nextInt(10);
        if (open < maxOpen && (roll < 5 || c.ready.isEmpty())) {
          c.connect();
        } else if (!c.ready.isEmpty()) {
          c.close(random.nextInt(c.ready.size()), roll % 2 == 0);
        }
        if (--left[0] > 0) {
          c.d().post(step[0]); // the next step, in a later iteration: I/O runs in between
        } else {
          c.onSettled = done::countDown;
          c.settledCheck();
        }
      };
      c.loop.post(step[0]);
    }
    await(done, "every client to finish its " + steps + " steps and see its connections"
        + " greeted");
    awaitServed();
    awaitServerCloses();
  }

  /** Every client closes every connection it holds; returns when the server saw the closes. */
  void closeAll() {
    for (Client c : clients) {
      Dispatchers.callOnLoop(c.d(), () -> {
        while (!c.ready.isEmpty()) {
          c.close(0, false);
        }
        return null;
      });
    }
    awaitServerCloses();
  }

  /** Stops the acceptor the way {@code Server.close()} does: listener closed, loop stopped. */
  void stopAcceptor() {
    Dispatchers.callOnLoop(acceptor.dispatcher(), () -> {
      listener.close();
      return null;
    });
    acceptor.stop();
    acceptorStopped = true;
  }

  /** Each worker closes every connection it serves, as a server shutting down does. */
  void workersCloseEverything() {
    workersClosing = true;
    int expected = 0;
    for (int w = 0; w < live.size(); w++) {
      Set<Connection> mine = live.get(w);
      expected += Dispatchers.callOnLoop(pool.worker(w).dispatcher(), () -> {
        List<Connection> all = new ArrayList<>(mine);
        all.forEach(Connection::close);
        return all.size();
      });
    }
    acquire(serverClosed, expected, "the workers to close " + expected + " connections");
    closedSeen += expected;
  }

  // ---- what the tests look at ------------------------------------------------------------------

  /** Connections the clients opened and closed (themselves or by asking), all clients. */
  int[] clientTotals() {
    int opened = 0;
    int closed = 0;
    for (Client c : clients) {
      int[] oc = Dispatchers.callOnLoop(c.d(), () -> new int[] {c.opened, c.closed});
      opened += oc[0];
      closed += oc[1];
    }
    return new int[] {opened, closed};
  }

  /** What each worker really has open, read on each worker's loop. */
  int[] truth() {
    int[] t = new int[live.size()];
    for (int w = 0; w < t.length; w++) {
      Set<Connection> mine = live.get(w);
      t[w] = Dispatchers.callOnLoop(pool.worker(w).dispatcher(), mine::size);
    }
    return t;
  }

  /**
   * Null if every worker's count, in the model and by YOUR {@code count(w)}, is what it really
   * has open, and each close was counted once; else what differs. Call it when the clients are
   * quiet: the workers are read first, then the acceptor, whose loop has by then run every
   * close the workers posted before.
   */
  String settledMismatch() {
    int[] truth = truth();
    Dispatcher a = acceptor.dispatcher();
    int[] model = Dispatchers.callOnLoop(a, counts::modelCounts);
    int[] yours = Dispatchers.callOnLoop(a, counts::reportedByYou);
    long[] applied = Dispatchers.callOnLoop(a, counts::closesCounted);
    for (int w = 0; w < truth.length; w++) {
      if (applied[w] != reported.get(w)) {
        return "worker " + w + " had " + reported.get(w) + " connection(s) close and "
            + applied[w] + " close(s) counted on it (each close counts once, on its own"
            + " worker)";
      }
    }
    if (!Arrays.equals(truth, model) || !Arrays.equals(truth, yours)) {
      return "the workers have " + Arrays.toString(truth) + " open, and the acceptor counted "
          + Arrays.toString(model)
          + (Arrays.equals(model, yours) ? "" : " and your count(w) says "
              + Arrays.toString(yours));
    }
    return null;
  }

  /** What went wrong in the rig itself (not in your code), or null. */
  String problems() {
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  // ---- waiting ---------------------------------------------------------------------------------

  private void awaitServed() {
    failFast();
    int opened = clientTotals()[0];
    acquire(served, opened - servedSeen, "the workers to set up " + opened + " connections");
    servedSeen = opened;
  }

  private void awaitServerCloses() {
    failFast();
    int closed = clientTotals()[1];
    acquire(serverClosed, closed - closedSeen, "the workers to see " + closed + " closes");
    closedSeen = closed;
  }

  /** Stops the test at once when the server dropped connections: they will never come. */
  private void failFast() {
    if (failed) {
      String yours = counts.breaches(Breach.values());
      throw new AssertionError("the server dropped connections" + (yours == null ? ""
          : ", after " + yours) + "; " + problems());
    }
  }

  private void acquire(Semaphore s, int n, String what) {
    try {
      if (n > 0 && !s.tryAcquire(n, WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("waited " + WAIT_SECONDS + " s for " + what + "; "
            + s.availablePermits() + " of " + n + " came" + (problems() == null ? ""
                : "; " + problems()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  private void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("waited " + WAIT_SECONDS + " s for " + what
            + (problems() == null ? "" : "; " + problems()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  /** Stops everything: acceptor first, as {@code Server.close()} does, then the connections. */
  @Override
  public void close() {
    try {
      if (!acceptorStopped) {
        stopAcceptor();
      }
      for (Client c : clients) {
        try {
          Dispatchers.callOnLoop(c.d(), () -> {
            new ArrayList<>(c.ready).forEach(Connection::close);
            new ArrayList<>(c.pending).forEach(Connection::close);
            return null;
          });
        } catch (RuntimeException stopped) {
          // already stopped
        }
        c.loop.stop();
      }
      for (int w = 0; w < live.size(); w++) {
        Set<Connection> mine = live.get(w);
        Dispatchers.callOnLoop(pool.worker(w).dispatcher(), () -> {
          new ArrayList<>(mine).forEach(Connection::close);
          return null;
        });
      }
    } finally {
      pool.stop();
    }
  }
}
