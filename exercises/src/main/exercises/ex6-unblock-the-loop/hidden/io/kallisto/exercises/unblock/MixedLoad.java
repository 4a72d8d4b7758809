package io.kallisto.exercises.unblock;

import io.kallisto.exercises.unblock.ProtocolClient.Request;
import io.kallisto.exercises.unblock.ProtocolClient.Response;
import io.kallisto.net.RequestFrameDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded, closed-loop mixed load on 127.0.0.1: each connection, on a client thread of its
 * own, sends one request, waits for its response, pauses briefly, and sends the next, mostly
 * ECHOs with a share of slow SLEEP and CPU requests. The latency of every ECHO sent after the
 * warm-up is kept. Closed loop on purpose: a stalled thread (the machine's, not the service's)
 * can delay at most one request per connection, so such noise stays bounded by the connections
 * rather than by the traffic. Part of the hidden tests.
 */
final class MixedLoad {
  /**
   * What to offer.
   *
   * @param connections client connections (and threads)
   * @param warmup sent but not measured
   * @param measure how long to send measured requests after the warm-up
   * @param sleepPercent share of SLEEP requests, each {@code sleep} long
   * @param cpuPercent share of CPU requests, each {@code cpu} long
   * @param think pause between a response and the next request
   */
  record Plan(int connections, Duration warmup, Duration measure, int sleepPercent,
      Duration sleep, int cpuPercent, Duration cpu, Duration think, long seed) {}

  /** 8 connections, 4 % SLEEP of 40 ms, 1 % CPU of 3 ms, 1 ms pauses, 1.2 s measured. */
  static final Plan STANDARD = new Plan(8, Duration.ofMillis(300), Duration.ofMillis(1200), 4,
      Duration.ofMillis(40), 1, Duration.ofMillis(3), Duration.ofMillis(1), 1);

  /**
   * What was measured.
   *
   * @param fastNanos the latencies of the measured ECHOs, sorted
   * @param slow slow requests answered (served or BUSY)
   * @param busy slow requests answered BUSY
   * @param problem null, or the first thing that went wrong (a request not answered, a bad
   *     response), which ends the run
   */
  record Result(long[] fastNanos, int slow, int busy, String problem) {
    /** Measured ECHOs that took {@code threshold} or longer. */
    int slowerThan(Duration threshold) {
      long t = threshold.toNanos();
      int n = 0;
      for (long v : fastNanos) {
        if (v >= t) {
          n++;
        }
      }
      return n;
    }

    /** The ECHO latency at {@code percentile}, in ms; 0 if none was measured. */
    double percentileMillis(double percentile) {
      if (fastNanos.length == 0) {
        return 0;
      }
      int i = (int) Math.ceil(percentile / 100.0 * fastNanos.length) - 1;
      return fastNanos[Math.max(0, Math.min(fastNanos.length - 1, i))] / 1e6;
    }

    /** "p50 0.2 ms, p99 1.3 ms, max 25.0 ms over 3,456 echoes". */
    String summary() {
      return String.format("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms over %,d"
          + " measured echoes", percentileMillis(50), percentileMillis(99),
          percentileMillis(99.9), percentileMillis(100), fastNanos.length);
    }
  }

  private MixedLoad() {}

  /** Runs {@code plan} against 127.0.0.1:{@code port}; returns when every client is done. */
  static Result run(int port, Plan plan) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(plan.connections());
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<String> problem = new AtomicReference<>();
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < plan.connections(); i++) {
      Client c = new Client(port, plan, i, ready, go, problem);
      clients.add(c);
      c.thread.start();
    }
    ready.await();
    go.countDown();
    for (Client c : clients) {
      c.thread.join();
    }
    int fast = 0;
    int slow = 0;
    int busy = 0;
    for (Client c : clients) {
      fast += c.fastCount;
      slow += c.slow;
      busy += c.busy;
    }
    long[] all = new long[fast];
    int at = 0;
    for (Client c : clients) {
      System.arraycopy(c.fast, 0, all, at, c.fastCount);
      at += c.fastCount;
    }
    Arrays.sort(all);
    return new Result(all, slow, busy, problem.get());
  }

  /** One connection on its own thread. */
  private static final class Client {
    final Thread thread;
    long[] fast = new long[1024];
    int fastCount;
    int slow;
    int busy;

    Client(int port, Plan plan, int index, CountDownLatch ready, CountDownLatch go,
        AtomicReference<String> problem) {
      thread = new Thread(() -> {
        try (ProtocolClient c = new ProtocolClient(port)) {
          ready.countDown();
          go.await();
          drive(c, plan, index, problem);
        } catch (Throwable e) {
          problem.compareAndSet(null, "client " + index + ": " + e);
          ready.countDown();
        }
      }, "client-" + index);
    }

    private void drive(ProtocolClient c, Plan plan, int index,
        AtomicReference<String> problem) {
      SplittableRandom random = new SplittableRandom(plan.seed() * 1_000_003 + index);
      long start = System.nanoTime();
      long measureFrom = start + plan.warmup().toNanos();
      long end = measureFrom + plan.measure().toNanos();
      long now;
      while ((now = System.nanoTime()) < end && problem.get() == null) {
        int roll = random.nextInt(100);
        Request r = roll < plan.sleepPercent() ? Request.sleep(plan.sleep())
            : roll < plan.sleepPercent() + plan.cpuPercent() ? Request.cpu(plan.cpu())
            : Request.echo();
        long id = c.send(r);
        Response response = c.receive(Duration.ofSeconds(10));
        if (response == null) {
          problem.compareAndSet(null, "request " + id + " (kind " + r.kind() + ") was not"
              + " answered within 10 s");
          return;
        }
        if (response.problem() != null) {
          problem.compareAndSet(null, response.problem());
          return;
        }
        if (r.kind() == RequestFrameDescriptor.KIND_ECHO) {
          if (now >= measureFrom) {
            if (fastCount == fast.length) {
              fast = Arrays.copyOf(fast, fast.length * 2);
            }
            fast[fastCount++] = response.latencyNanos();
          }
        } else {
          slow++;
          if (response.busy()) {
            busy++;
          }
        }
        LockSupport.parkNanos(plan.think().toNanos()); // pacing, not waiting for anything
      }
    }
  }
}
