package io.kallisto.net;

import io.kallisto.event.Backend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.WorkerPool;
import io.kallisto.load.LoadGenerator;
import io.kallisto.load.LoadResult;
import io.kallisto.run.TestScenarios;
import io.kallisto.scenario.Scenario;
import io.kallisto.scenario.Scenario.Workload;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The request protocol end to end with payloads far larger than a socket takes at once. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class LargeEchoTest {
  @Parameter Backend backend;

  @org.junit.jupiter.api.BeforeEach
  void backendApplies() {
    assumeTrue(backend.servesSockets(), "simulated loops serve SimNetwork streams, not"
        + " sockets; SimulatedScenarioTest runs the same traffic in virtual time");
  }

  @Test
  void mebibytePayloadsComeBackExactThroughPartialWrites() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      WorkerPool pool = WorkerPool.create(2, backend.factory());
      pool.start();
      // A 64 KiB send buffer: a mebibyte response cannot go out in one write.
      Server server = Server.reusePort(pool, ConnectionConfig.DEFAULT.withSendBuffer(64 * 1024),
          RequestServerHandler::new);
      Scenario base = TestScenarios.echo(4, Duration.ofMillis(1000));
      Workload w = base.workload();
      Scenario s = base.withWorkload(new Workload(w.loop(), 4, 2, 0, w.arrivals(), w.mix(),
          RequestFrameDescriptor.MAX_PAYLOAD, 0));
      LoadGenerator load = LoadGenerator.start(server.port(), s, backend.factory());
      assertTrue(load.awaitDone(30, TimeUnit.SECONDS));
      LoadResult r = load.result();
      load.close();
      server.close();
      long blocked = server.counters(0).writesBlocked() + server.counters(1).writesBlocked();
      pool.stop();

      assertEquals(0, r.corrupt(), "every byte of every echo is checked");
      assertEquals(0, r.connectionsLost());
      assertEquals(r.sent(), r.answered());
      assertTrue(r.answered() >= 8, "answered " + r.answered());
      assertTrue(blocked > 0, "no write was partial, so this test proved nothing");
    });
  }
}
