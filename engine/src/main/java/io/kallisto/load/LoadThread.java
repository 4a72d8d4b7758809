package io.kallisto.load;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Timer;
import io.kallisto.event.Worker;
import io.kallisto.net.ConnectionConfig;
import io.kallisto.scenario.Scenario.LoopMode;
import io.kallisto.scenario.Scenario;
import io.kallisto.trace.NamedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One load generator thread: its own loop, its share of the connections, and its own
 * histograms, so threads share nothing on the hot path but the optional request budget.
 * Everything here runs on the thread's loop.
 */
final class LoadThread {
  /**
   * Client connections queue what the server has not yet read, up to this much, before pausing
   * their reads: far above any sane backlog, since pausing a client's reads on its own backlog
   * could stall both ends (see {@link Connection}).
   */
  static final ConnectionConfig CLIENT_CONFIG =
      new ConnectionConfig(64 * 1024, 256 * 1024 * 1024, 128 * 1024 * 1024);

  /** Requests sent per timer firing in open loop, so one late firing cannot hog the loop. */
  private static final int MAX_SENDS_PER_FIRING = 4096;

  final int index;
  final Worker worker;
  final Dispatcher dispatcher;
  final Scenario.Workload workload;
  final List<ClientConnection> connections = new ArrayList<>();
  final RequestMixSampler sampler;
  final Histogram latency = LoadGenerator.newHistogram();
  final Histogram serviceLatency = LoadGenerator.newHistogram();
  final AtomicLong answeredCount = new AtomicLong(); // single writer: this loop
  private final SplittableRandom arrivals;
  private final AtomicLong budget; // null when unlimited
  private final CountDownLatch done;
  private final int connectionCount;
  private final LoadConnector connector;
  private final double gapMeanNanos;

  long measureFrom;
  private long stopAt;
  private long drainNanos;
  private boolean sending;
  private boolean finished;
  private long nextDue;
  private int nextConnection;
  private Timer sendTimer;
  private Timer stopTimer;
  long stoppedAt;
  String stoppedBy = "duration";

  long sent;
  /** Requests sent and neither answered nor lost with their connection, over all connections. */
  long inFlight;
  long measured;
  long corrupt;
  long unanswered;
  long skipped;
  long connectionsLost;
  String firstLoss;

  LoadThread(int index, Worker worker, Scenario scenario, int connectionCount,
      LoadConnector connector,
      AtomicLong budget, CountDownLatch done, int threads) {
    this.index = index;
    this.worker = worker;
    this.dispatcher = worker.dispatcher();
    this.workload = scenario.workload();
    this.connectionCount = connectionCount;
    this.connector = connector;
    this.budget = budget;
    this.done = done;
    SplittableRandom root = new SplittableRandom(scenario.seed() * 0x9E3779B97F4A7C15L + index);
    this.sampler = new RequestMixSampler(workload.mix(), root.split());
    this.arrivals = root.split();
    this.gapMeanNanos = workload.loop() == LoopMode.OPEN ? 1e9 * threads / workload.rate() : 0;
  }

  /** Opens the connections and starts the load; {@code start} is the run's common time zero. */
  void begin(long start, long warmupNanos, long durationNanos, long drainNanos) {
    measureFrom = start + warmupNanos;
    stopAt = start + durationNanos;
    this.drainNanos = drainNanos;
    sending = true;
    for (int i = 0; i < connectionCount; i++) {
      ClientConnection c = new ClientConnection(this, ((long) index << 48) | ((long) i << 32));
      c.connection = connector.connect(dispatcher, c);
      connections.add(c);
    }
    stopTimer = dispatcher.createTimer(NamedTask.of("load stop", this::onStopTimer));
    stopTimer.enableAt(stopAt);
    if (connectionCount == 0) {
      return;
    }
    if (workload.loop() == LoopMode.CLOSED) {
      long now = dispatcher.now();
      for (ClientConnection c : connections) {
        for (int k = 0; k < workload.outstanding() && sending; k++) {
          sendOn(c, now);
        }
      }
    } else {
      nextDue = start + nextGap();
      sendTimer = dispatcher.createTimer(NamedTask.of("load send", this::onSendTimer));
      sendTimer.enableAt(nextDue);
    }
  }

  private long nextGap() {
    return workload.arrivals() == Scenario.Arrivals.CONSTANT
        ? (long) gapMeanNanos
        : RequestMixSampler.exponential(arrivals, gapMeanNanos);
  }

  /** Open loop: send every request that is due, in schedule order, round robin. */
  private void onSendTimer() {
    long now = dispatcher.now();
    for (int n = 0; sending && nextDue <= now && n < MAX_SENDS_PER_FIRING; n++) {
      ClientConnection c = nextOpenConnection();
      if (c == null) {
        break;
      }
      if (c.full()) {
        skipped++;
      } else {
        sendOn(c, nextDue);
      }
      nextDue += nextGap();
    }
    if (sending) {
      sendTimer.enableAt(Math.min(nextDue, stopAt));
    }
  }

  private ClientConnection nextOpenConnection() {
    for (int tries = 0; tries < connections.size(); tries++) {
      ClientConnection c = connections.get(nextConnection);
      nextConnection = (nextConnection + 1) % connections.size();
      if (!c.lost) {
        return c;
      }
    }
    return null;
  }

  /** Sends one request on {@code c}, due at {@code due}, if the budget allows. */
  private void sendOn(ClientConnection c, long due) {
    if (budget != null && budget.getAndDecrement() <= 0) {
      stopSending("request limit");
      return;
    }
    sent++;
    inFlight++;
    c.send(due, sampler);
  }

  /** Closed loop: a response frees a slot on its connection. */
  void onResponse(ClientConnection c) {
    if (sending && workload.loop() == LoopMode.CLOSED && !c.lost) {
      sendOn(c, dispatcher.now());
    }
    maybeFinish();
  }

  void onLost(ClientConnection c, String reason) {
    connectionsLost++;
    if (firstLoss == null) {
      firstLoss = reason;
    }
    unanswered += c.outstanding();
    inFlight -= c.outstanding();
    maybeFinish();
  }

  private void onStopTimer() {
    if (sending) {
      stopSending("duration");
    } else {
      finish(); // the drain deadline passed with requests still out
    }
  }

  private void stopSending(String why) {
    if (!sending) {
      return;
    }
    sending = false;
    stoppedBy = why;
    stoppedAt = Math.min(dispatcher.now(), stopAt);
    if (sendTimer != null) {
      sendTimer.disable();
    }
    stopTimer.enableAt(dispatcher.now() + drainNanos); // then give up on what is still out
    maybeFinish();
  }

  private void maybeFinish() {
    // A count, not a scan of the connections: with 100,000 of them a scan per response would
    // make the drain quadratic.
    if (finished || sending || inFlight > 0) {
      return;
    }
    finish();
  }

  /** Ends the run on this thread: closes the connections and counts what is still out. */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (sending) {
      sending = false;
      stoppedAt = dispatcher.now();
    }
    if (stopTimer != null) {
      stopTimer.disable();
    }
    if (sendTimer != null) {
      sendTimer.disable();
    }
    for (ClientConnection c : connections) {
      if (!c.lost) {
        unanswered += c.outstanding();
        c.closing = true;
        c.connection.close();
      }
    }
    done.countDown();
  }

  /**
   * Cut short (see {@link LoadGenerator#interrupt}): stops sending, gives up on what is still out
   * and closes the connections, as the end of the run would, but now.
   */
  void interrupt() {
    if (finished) {
      return;
    }
    stoppedBy = LoadResult.INTERRUPTED;
    if (sending) {
      sending = false;
      stoppedAt = Math.min(dispatcher.now(), stopAt);
    }
    finish();
  }

  /** Setting up failed (a connect refused at once, say): ends this thread's run, saying why. */
  void failed(RuntimeException e) {
    connectionsLost++;
    if (firstLoss == null) {
      firstLoss = e.getMessage();
    }
    finish();
  }

  boolean measures(long due) {
    return due >= measureFrom;
  }
}
