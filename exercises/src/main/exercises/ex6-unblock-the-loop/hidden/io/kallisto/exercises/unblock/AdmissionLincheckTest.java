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
          throw new AssertionError("expected at most one of two offers racing for the only"
              + " place of an offloader of 1 thread + 0 queued accepted; Lincheck found an"
              + " interleaving that accepts both. Check the count and take the place in one"
              + " step (compareAndSet in a loop, Semaphore.tryAcquire): "
              + report.substring(0, Math.min(report.length(), 1500)), e);
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
          uninterruptibly(raceOver::await);
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
      uninterruptibly(t::join);
    }
    int both = accepted.get();
    raceOver.countDown();
    offloader.close();
    if (both > 1) {
      throw new AssertionError("both offers accepted into the only place");
    }
    if (both == 0) {
      throw new AssertionError("both offers refused by an empty offloader");
    }
  }

  /** A wait the model checker never interrupts; an interrupt would only mean "wait on". */
  private interface Wait {
    void await() throws InterruptedException;
  }

  private static void uninterruptibly(Wait wait) {
    while (true) {
      try {
        wait.await();
        return;
      } catch (InterruptedException e) {
        // keep waiting: the race is over only when the other side says so
      }
    }
  }
}
