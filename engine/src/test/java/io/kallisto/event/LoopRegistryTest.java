package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopRegistryTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  /** Records what it hears, with the thread it heard it on. */
  private static final class Recorder implements LoopRegistry.Listener {
    final List<String> heard = Collections.synchronizedList(new ArrayList<>());
    final Thread creator = Thread.currentThread();

    private void note(String what) {
      if (Thread.currentThread() == creator) {
        heard.add(what);
      }
    }

    @Override
    public void dispatcherCreated(Dispatcher d) {
      note("dispatcher " + d.name());
    }

    @Override
    public void workerCreated(Worker w) {
      note("worker " + w.name());
    }

    @Override
    public void poolCreated(WorkerPool p) {
      note("pool of " + p.size());
    }
  }

  @Test
  void listenersHearOfEveryDispatcherWorkerAndPoolOnTheCreatingThread() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Recorder r = new Recorder();
      try (LoopRegistry.Registration reg = LoopRegistry.listen(r)) {
        Dispatchers.nio("a").close();
        Dispatchers.create("b").close();
        WorkerPool pool = WorkerPool.create(2, Dispatchers::nio);
        pool.start();
        pool.stop();
      }
      // Each worker's dispatcher comes before the worker, and the workers before their pool.
      assertEquals(List.of("dispatcher a", "dispatcher b", "dispatcher worker-0", "worker worker-0",
          "dispatcher worker-1", "worker worker-1", "pool of 2"), r.heard);
    });
  }

  @Test
  void aClosedRegistrationHearsNothingAndAThrowingListenerBreaksNoCreation() {
    assertTimeoutPreemptively(LIMIT, () -> {
      Recorder r = new Recorder();
      LoopRegistry.Registration reg = LoopRegistry.listen(r);
      reg.close();
      reg.close(); // idempotent
      LoopRegistry.Listener broken = new LoopRegistry.Listener() {
        @Override
        public void dispatcherCreated(Dispatcher d) {
          throw new IllegalStateException("a tool's bug");
        }
      };
      try (LoopRegistry.Registration b = LoopRegistry.listen(broken)) {
        Dispatcher d = Dispatchers.nio("survives");
        assertSame("survives", d.name());
        d.close();
      }
      assertTrue(r.heard.isEmpty(), r.heard::toString);
    });
  }
}
