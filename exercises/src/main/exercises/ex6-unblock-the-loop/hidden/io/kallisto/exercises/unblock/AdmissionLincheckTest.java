package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.exercises.support.ForwardingDispatcher;
import io.kallisto.exercises.support.Points;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading test: Lincheck's model checker runs two threads offering to an offloader with a
 * single place, and explores their interleavings (switching threads between shared-memory
 * accesses, the pool's own thread included), which real threads on two cores almost never hit:
 * an admission that reads the count and then increments it, in two steps, lets both offers in
 * when a switch falls between the two. The accepted work waits at a latch until both offers
 * have returned, so no place is given back during the race.
 */
class AdmissionLincheckTest {
  /**
   * Interleavings explored. The two-step admission is found within the first 10 (measured on
   * the reference with the count and the increment split); 60 leave room for admissions that
   * touch more shared state first, and cost about 15 s on a loaded 2-core machine.
   */
  private static final int INVOCATIONS = 60;

  private static final String BOTH = "both offers accepted into the only place";

  @Test
  @Points(3)
  void twoOffersRacingForTheOnlyPlaceNeverBothGetIt() {
    // Fails fast, outside the model checker, if the offloader cannot even be built.
    new Offloader("admission", 1, 0).close();
    Dispatcher loop = Dispatchers.nio("admission-loop"); // never run: posts are only counted
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
        try {
          Lincheck.runConcurrentTest(INVOCATIONS, () -> race(loop));
        } catch (AssertionError e) {
          // The full report (the interleaving) goes to the log; feedback gets its start.
          System.out.println(e.getMessage());
          String report = String.valueOf(e.getMessage()).replaceAll("[ \\t|-]+", " ");
          String found = report.contains(BOTH) ? "an interleaving that accepts both. Check the"
              + " count and take the place in one step (compareAndSet in a loop,"
              + " Semaphore.tryAcquire)" : "a run that failed otherwise";
          throw new AssertionError("expected exactly one of two offers racing for the only"
              + " place of an offloader of 1 thread + 0 queued accepted; Lincheck found "
              + found + ": " + report.substring(0, Math.min(report.length(), 1500)), e);
        }
      });
    } finally {
      loop.close();
    }
  }

  /** One explored run: two threads offer; the pool's work waits until both have returned. */
  private static void race(Dispatcher real) {
    AtomicInteger posts = new AtomicInteger();
    Dispatcher loop = new ForwardingDispatcher(real) {
      @Override
      public void post(Runnable callback) {
        posts.incrementAndGet();
      }
    };
    CountDownLatch raceOver = new CountDownLatch(1);
    Offloader offloader = new Offloader("admission", 1, 0);
    AtomicInteger accepted = new AtomicInteger();
    Thread[] racers = new Thread[2];
    for (int i = 0; i < racers.length; i++) {
      racers[i] = new Thread(() -> {
        if (offloader.offload(() -> {
          awaitUninterruptibly(raceOver);
          return 0L;
        }, loop, (x, f) -> { })) {
          accepted.incrementAndGet();
        }
      });
    }
    for (Thread t : racers) {
      t.start();
    }
    for (Thread t : racers) {
      joinUninterruptibly(t);
    }
    int both = accepted.get();
    raceOver.countDown();
    offloader.close();
    if (both > 1) {
      throw new AssertionError(BOTH);
    }
    if (both == 0) {
      throw new AssertionError("both offers refused by an empty offloader");
    }
  }

  // Called directly, never through a method reference: Lincheck intercepts join() and await()
  // at call sites in the test's own class, not in the lambda classes the JVM spins up, and a
  // join it does not see waits for a thread it never schedules.

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // the model checker never interrupts; keep waiting for the end of the race
      }
    }
  }

  private static void joinUninterruptibly(Thread t) {
    while (true) {
      try {
        t.join();
        return;
      } catch (InterruptedException e) {
        // as above
      }
    }
  }
}
