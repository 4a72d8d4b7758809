package io.kallisto.exercises.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.TraceOnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hidden grading tests: a state change that a racing call must not overwrite. Each race is made
 * to happen by the test's gates (a loop held before its first callback; racing posts held until
 * every racer is through), not left to chance.
 */
@ExtendWith(TraceOnFailure.class)
class StateRaceGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(40);

  @Test
  @Points(3)
  void aStopBeforeTheFirstCallbackRunsIsNotUndoneByIt() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        InstrumentedFactory factory = new InstrumentedFactory(b).holdFirstRun();
        LoopWorker w = new LoopWorker("worker-late", factory, new RecordingErrors());
        Blocker blocker = new Blocker();
        try {
          w.start();
          assertTrue(factory.only().awaitRunEntered(10), b + ": expected the worker's thread in"
              + " run() within 10 s");
          assertTrue(w.offer(blocker), b + ": expected an offer to a STARTING worker accepted");
          Thread stopper = new Thread(w::stop, "stopper");
          stopper.start();
          Waits.untilState(w, WorkerState.DRAINING, b + ": stop() called before the loop ran"
              + " anything");
          // Now the loop runs its first callback (the ready one), then the blocker, and holds.
          factory.only().releaseRun();
          blocker.awaitRunning(b.toString());
          WorkerState seen = w.state();
          boolean lateOffer = w.offer(() -> { });
          blocker.release();
          stopper.join(10_000);
          assertEquals(WorkerState.DRAINING, seen, b + ": expected the worker still DRAINING"
              + " after the loop ran its first callback, because stop() had begun; it was "
              + seen + ": the first callback overwrote the state that stop() set");
          assertFalse(lateOffer, b + ": expected an offer from another thread rejected once"
              + " stop() had begun, also after the loop's first callback ran");
          assertFalse(stopper.isAlive(), b + ": expected stop() to return within 10 s");
          assertEquals(new RequestCounts(1, 1, 0, 1), w.stop(), b + ": expected the blocker"
              + " run and the late offer rejected");
        } finally {
          blocker.release();
          factory.created().forEach(InstrumentedFactory.Instrumented::releaseRun);
          Waits.stopQuietly(w);
        }
      });
    }
  }

  @Test
  @Points(3)
  void concurrentStartsStartOneLoopAndRefuseTheOthers() {
    for (Backend b : Backend.all()) {
      assertTimeoutPreemptively(LIMIT, () -> {
        for (int round = 0; round < 4; round++) {
          String problem = oneStartRace(b, round);
          assertEquals(null, problem, b + " round " + round + ": four threads called start()"
              + " on one NEW worker at once (each held at its first post until all four were"
              + " through or waiting): " + problem);
        }
      });
    }
  }

  private static String oneStartRace(Backend b, int round) throws Exception {
    int racers = 4;
    InstrumentedFactory factory = new InstrumentedFactory(b);
    LoopWorker w = new LoopWorker("worker-race-" + round, factory, new RecordingErrors());
    CyclicBarrier go = new CyclicBarrier(racers);
    AtomicInteger started = new AtomicInteger();
    List<String> others = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 0; i < racers; i++) {
        threads.add(new Thread(() -> {
          try {
            go.await(10, TimeUnit.SECONDS);
            w.start();
            started.incrementAndGet();
          } catch (IllegalStateException refused) {
            // what the others must get
          } catch (Throwable e) {
            synchronized (others) {
              others.add(e.toString());
            }
          }
        }, "starter-" + i));
      }
      factory.holdRacers(new HashSet<>(threads));
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join(10_000);
      }
      if (!others.isEmpty()) {
        return "a refused start() must throw IllegalStateException, but one threw "
            + others.get(0);
      }
      if (started.get() != 1) {
        return started.get() + " start() calls returned normally; expected exactly one";
      }
      if (!w.awaitReady(Duration.ofSeconds(10))) {
        return "the worker was not ready within 10 s";
      }
      long worker = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals(w.name())).count();
      if (worker != 1) {
        return worker + " threads named '" + w.name() + "' are alive; expected one";
      }
      if (!w.offer(() -> { })) {
        return "the started worker refused a request";
      }
      RequestCounts counts = w.stop();
      if (!counts.equals(new RequestCounts(1, 1, 0, 0))) {
        return "stop() reported " + counts + "; expected one request run";
      }
      return null;
    } finally {
      factory.holdRacers(new HashSet<>());
      Waits.stopQuietly(w);
    }
  }
}
