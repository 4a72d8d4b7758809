package io.kallisto.exercises.unblock;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.DispatcherStats;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.WorkerPool;
import io.kallisto.net.Connection;
import io.kallisto.net.ConnectionBalancer;
import io.kallisto.net.ConnectionHandler;
import io.kallisto.net.Server;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The service under test on 127.0.0.1: worker loops behind one acceptor that deals connections
 * out round robin, YOUR {@link OffloadingRequestHandler} on every connection and YOUR
 * {@link Offloader} behind them. Part of the tests.
 *
 * <p>It also watches for what a broken service does quietly: exceptions thrown inside loop
 * callbacks (the loop counts them and goes on) and exceptions that end other threads (a
 * {@code Connection.send()} from a pool thread throws there), so that a test can name them.
 *
 * <pre>{@code
 * try (TestService s = TestService.start(backend, 1, 4, 16);
 *      ProtocolClient c = new ProtocolClient(s.port())) { ... }
 * }</pre>
 */
final class TestService implements AutoCloseable {
  private final WorkerPool pool;
  private final Offloader offloader;
  private final Server server;
  private final Semaphore serverCloses = new Semaphore(0);
  private final Object readLock = new Object();
  private long bytesRead; // guarded by readLock
  private final List<String> threadDeaths = Collections.synchronizedList(new ArrayList<>());
  private final Thread.UncaughtExceptionHandler previous;

  private TestService(Backend backend, int workers, int threads, int queueCapacity) {
    offloader = new Offloader("offload", threads, queueCapacity);
    pool = WorkerPool.create(workers);
    Server started = null;
    try {
      pool.start();
      started = Server.singleAcceptor(pool, ConnectionBalancer.roundRobin(),
          counters -> new Watched(new OffloadingRequestHandler(backend, offloader, counters)));
    } finally {
      if (started == null) {
        pool.stop();
        offloader.close();
      }
    }
    server = started;
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> threadDeaths.add("thread '" + t.getName()
        + "' died of " + e));
  }

  /**
   * Starts {@code workers} loops serving YOUR handler, with an offloader of {@code threads}
   * threads and room for {@code queueCapacity} waiting tasks.
   */
  static TestService start(Backend backend, int workers, int threads, int queueCapacity) {
    return new TestService(backend, workers, threads, queueCapacity);
  }

  /** The port on 127.0.0.1. */
  int port() {
    return server.port();
  }

  /** The offloader the handlers share. */
  Offloader offloader() {
    return offloader;
  }

  /** The worker loops. */
  List<Dispatcher> loops() {
    List<Dispatcher> loops = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      loops.add(pool.worker(i).dispatcher());
    }
    return loops;
  }

  /** Requests the handlers have counted as answered, on every worker. */
  long requestsCounted() {
    flushLoops(); // counted on the loop right after the send: let those callbacks finish
    long n = 0;
    for (int i = 0; i < server.workers(); i++) {
      n += server.counters(i).requests();
    }
    return n;
  }

  /** Protocol errors the handlers have counted, on every worker. */
  long protocolErrorsCounted() {
    flushLoops();
    long n = 0;
    for (int i = 0; i < server.workers(); i++) {
      n += server.counters(i).protocolErrors();
    }
    return n;
  }

  /** Waits until the server has seen {@code n} connections close (in all); false on timeout. */
  boolean awaitServerCloses(int n, Duration timeout) throws InterruptedException {
    boolean all = serverCloses.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (all) {
      serverCloses.release(n);
    }
    return all;
  }

  /**
   * Bytes the loops have handed to the handlers so far, on every connection: counted once
   * {@code onData} has returned, so whatever a handler does with them on the spot is done.
   */
  long bytesRead() {
    synchronized (readLock) {
      return bytesRead;
    }
  }

  /**
   * Waits until the handlers have been handed {@code bytes} more bytes than {@code since} (a
   * {@link #bytesRead()} taken before the client sent them), then runs what the loops have
   * queued: by then a handler has done what it does on reading those bytes (an answer written,
   * a connection closed), on the spot or in a callback it posted meanwhile. False on timeout.
   *
   * <p>A check that waits for this, rather than for an answer that may never come, fails at once
   * when the answer was not given.
   */
  boolean awaitRead(long since, int bytes, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (readLock) {
      while (bytesRead < since + bytes) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        readLock.wait(Math.max(1, left / 1_000_000));
      }
    }
    flushLoops();
    return true;
  }

  /** Runs what every loop has queued so far (twice: what that posted too). */
  void flushLoops() {
    for (int round = 0; round < 2; round++) {
      for (Dispatcher d : loops()) {
        Dispatchers.callOnLoop(d, () -> null);
      }
    }
  }

  /**
   * What went wrong quietly so far: exceptions thrown inside loop callbacks (each loop counts
   * them and keeps running) and threads that died of an exception; null if nothing did.
   */
  String quietFailures() {
    List<String> out = new ArrayList<>();
    for (Dispatcher d : loops()) {
      DispatcherStats s = d.stats();
      if (s.callbackErrors() > 0) {
        out.add(s.callbackErrors() + " callback(s) on loop '" + d.name() + "' threw; the last: "
            + s.lastCallbackError());
      }
    }
    synchronized (threadDeaths) {
      out.addAll(threadDeaths);
    }
    return out.isEmpty() ? null : String.join("; ", out);
  }

  /** {@code message}, followed by the quiet failures if there were any. */
  String explain(String message) {
    String quiet = quietFailures();
    return quiet == null ? message : message + " [meanwhile: " + quiet + "]";
  }

  /** Closes the server (every connection, on its loop), then the offloader, then the loops. */
  @Override
  public void close() {
    try {
      server.close();
      offloader.close();
    } finally {
      pool.stop();
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  /** Passes everything to YOUR handler and counts the closes the server sees. */
  private final class Watched implements ConnectionHandler {
    private final ConnectionHandler inner;

    Watched(ConnectionHandler inner) {
      this.inner = inner;
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
      int n = data.remaining();
      try {
        inner.onData(connection, data);
      } finally {
        synchronized (readLock) {
          bytesRead += n;
          readLock.notifyAll();
        }
      }
    }

    @Override
    public void onClosed(Connection connection, String reason) {
      try {
        inner.onClosed(connection, reason);
      } finally {
        serverCloses.release();
      }
    }

    @Override
    public void onAboveHighWatermark(Connection connection) {
      inner.onAboveHighWatermark(connection);
    }

    @Override
    public void onBelowLowWatermark(Connection connection) {
      inner.onBelowLowWatermark(connection);
    }
  }
}
