package io.kallisto.load;

import io.kallisto.event.Backend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Eventually;
import io.kallisto.event.WorkerPool;
import io.kallisto.net.RequestServerHandler;
import io.kallisto.net.Server;
import io.kallisto.run.TestScenarios;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenario.Workload;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A request's round trip (server worker and load generator thread) must not allocate once warm.
 * Counts bytes allocated per thread (HotSpot's counter), not time, so load does not matter.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class RequestPathAllocationTest {
  @Parameter Backend backend;

  @org.junit.jupiter.api.BeforeEach
  void backendApplies() {
    assumeTrue(backend.servesSockets(), "simulated loops serve SimNetwork streams, not"
        + " sockets; SimulatedScenarioTest runs the same traffic in virtual time");
  }

  private static final long WARMUP = 30_000;
  private static final long MEASURED = 30_000;

  @Test
  void warmRequestsAllocateNothingOnTheWorkerOrTheLoadThread() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(),
        "this JVM cannot count allocated bytes per thread");
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      WorkerPool pool = WorkerPool.create(1, backend.factory());
      pool.start();
      Server server = Server.reusePort(pool, RequestServerHandler::new);
      Scenario base = TestScenarios.echo(4, Duration.ofSeconds(100));
      Workload w = base.workload();
      Scenario s = base.withWorkload(new Workload(w.loop(), 4, 1, 0, w.arrivals(), w.mix(), 64,
          WARMUP + MEASURED + 10_000));
      LoadGenerator load = LoadGenerator.start(server.port(), s, backend.factory());
      long worker = threadId("worker-0");
      long client = threadId("load-0");
      Eventually.await(() -> load.answered() >= WARMUP, Duration.ofSeconds(60),
          () -> "warm-up answered " + load.answered());
      long workerStart = mx.getThreadAllocatedBytes(worker);
      long clientStart = mx.getThreadAllocatedBytes(client);
      long answeredStart = load.answered();
      Eventually.await(() -> load.answered() >= WARMUP + MEASURED, Duration.ofSeconds(60),
          () -> "answered " + load.answered());
      long workerBytes = mx.getThreadAllocatedBytes(worker) - workerStart;
      long clientBytes = mx.getThreadAllocatedBytes(client) - clientStart;
      long requests = load.answered() - answeredStart;
      assertTrue(load.awaitDone(60, TimeUnit.SECONDS));
      assertEquals(0, load.result().corrupt());
      load.close();
      server.close();
      pool.stop();
      // A few hundred bytes may come from a timer or a stats snapshot; a per-request allocation
      // would be megabytes over 30,000 requests.
      assertTrue(workerBytes < 64 * 1024, "the worker allocated " + workerBytes + " bytes for "
          + requests + " requests");
      assertTrue(clientBytes < 64 * 1024, "the load thread allocated " + clientBytes
          + " bytes for " + requests + " requests");
    });
  }

  private static long threadId(String name) {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getName().equals(name)) {
        return e.getKey().getId();
      }
    }
    throw new AssertionError("no thread named " + name);
  }
}
