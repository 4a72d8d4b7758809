package io.kallisto.exercises.unblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.Worker;
import io.kallisto.exercises.support.ForwardingDispatcher;
import io.kallisto.exercises.support.Points;
import io.kallisto.exercises.support.ResourceProbe;
import io.kallisto.net.RequestFrameDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hidden grading tests of the {@link Offloader}'s bound where threads race for it: many offers
 * at once (the bound reached with work held at a gate, 100 places raced for), a burst while every
 * pool thread is held after its work, a place given back when the work returns (not when the
 * loop gets round to the outcome), and offers racing with {@code close()}. The admission's own
 * check-then-act race is {@link AdmissionLincheckTest}'s. Not traced: these run no request of
 * the protocol.
 */
class CapacityGradingTest {
  private static final Duration LIMIT = Duration.ofSeconds(40);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int KIND = RequestFrameDescriptor.KIND_SLEEP;

  private Worker loop;

  @BeforeEach
  void startLoop() {
    loop = Worker.create("loop-cap", Dispatchers.best());
    loop.start();
    loop.awaitReady();
  }

  @AfterEach
  void stopLoop() {
    loop.stop();
  }

  /** Runs what the loop has queued so far, and what that posted. */
  private void flush() {
    Dispatchers.callOnLoop(loop.dispatcher(), () -> null);
    Dispatchers.callOnLoop(loop.dispatcher(), () -> null);
  }

  @Test
  @Points(5)
  void offersRacingForTheLastPlacesNeverExceedTheBound() {
    int places = 100;
    int racers = 3;
    assertTimeoutPreemptively(LIMIT, () -> {
      GatedBackend gate = new GatedBackend();
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger returned = new AtomicInteger();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      int held;
      try (Offloader offloader = new Offloader("race", 2, 2)) {
        try {
          // Each racer offers again and again: whenever a place frees, they all go for it.
          for (int r = 0; r < racers; r++) {
            Thread t = new Thread(() -> {
              try {
                while (!stop.get()) {
                  if (offloader.offload(() -> {
                    long spent = gate.serve(KIND, 1);
                    returned.incrementAndGet(); // before the work returns: never late
                    return spent;
                  }, loop.dispatcher(), (x, f) -> { })) {
                    accepted.incrementAndGet();
                  }
                }
              } catch (Throwable e) {
                thrown.compareAndSet(null, e);
              }
            }, "racer-" + r);
            t.setDaemon(true);
            threads.add(t);
            t.start();
          }
          awaitFull(accepted, returned, 4, "the racers filled the offloader");
          // One held task at a time is let go: each freed place is raced for by every racer.
          for (int i = 1; i <= places && thrown.get() == null; i++) {
            gate.release(1);
            int done = i;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((returned.get() < done || accepted.get() - returned.get() < 4)
                && System.nanoTime() - deadline < 0) {
              Thread.yield();
            }
            if (accepted.get() - returned.get() < 4) {
              break; // refused with room left: the check after the racers stop names it
            }
          }
        } finally {
          stop.set(true);
          for (Thread t : threads) {
            t.join(10_000);
          }
          // The racers have stopped and every task let go has returned (the loop above waited
          // for each): the tasks accepted and not returned are the ones still held.
          held = accepted.get() - returned.get();
          gate.open();
        }
        assertNull(thrown.get(), "expected offload() never to throw; it threw " + thrown.get());
        assertEquals(4, held, "expected " + racers + " threads offering as fast as they can to"
            + " an offloader of 2 threads + 2 queued, while " + places + " held tasks were let"
            + " go one at a time, to keep exactly 4 tasks accepted and unfinished; at the end "
            + held + " were" + (held > 4 ? ": the bound was exceeded, two offers took the same"
                + " last place. Look at the count and change it in one step (compareAndSet,"
                + " Semaphore.tryAcquire)" : ": a place was refused while it was free"));
      }
    });
  }

  /** Waits until {@code n} accepted tasks are unfinished; fails after 10 s. */
  private static void awaitFull(AtomicInteger accepted, AtomicInteger returned, int n,
      String context) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (accepted.get() - returned.get() < n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(context + ": expected " + n + " tasks accepted within "
            + WAIT.toSeconds() + " s; " + (accepted.get() - returned.get()) + " were");
      }
      Thread.yield();
    }
  }

  @Test
  @Points(3)
  void aBurstWhileEveryPoolThreadStillHandsBackAnOutcomeIsAcceptedUpToCapacity() {
    assertTimeoutPreemptively(LIMIT, () -> {
      burstWhileThreadsHandBack(2, 2);
      burstWhileThreadsHandBack(1, 0);
    });
  }

  /**
   * Holds every pool thread in the post of an outcome whose work has returned (the loop's post
   * waits at a latch), so those tasks no longer count, yet no thread is free to take new work:
   * a burst must then be accepted up to the whole capacity. An executor's own bounded queue
   * sees only its queue, so it refuses here every time, not only when a thread is slow to take.
   */
  private void burstWhileThreadsHandBack(int threads, int queue) throws Exception {
    String config = threads + " thread(s) + " + queue + " queued";
    int capacity = threads + queue;
    HeldPosts held = new HeldPosts(loop.dispatcher());
    GatedBackend gate = new GatedBackend();
    AtomicInteger reported = new AtomicInteger();
    int accepted = 0;
    try (Offloader offloader = new Offloader("burst", threads, queue)) {
      try {
        for (int i = 0; i < threads; i++) {
          assertTrue(Promptly.offload(offloader, () -> 0L, held, (x, f) -> { }),
              config + ": expected a task accepted by an empty offloader");
        }
        assertTrue(held.awaitPosting(threads, WAIT), config + ": expected every pool thread to"
            + " be posting its outcome within " + WAIT.toSeconds() + " s");
        for (int i = 0; i < capacity + 1; i++) {
          if (offloader.offload(() -> gate.serve(KIND, 1), loop.dispatcher(),
              (x, f) -> reported.incrementAndGet())) {
            accepted++;
          }
        }
      } finally {
        held.letGo();
        gate.open();
      }
      assertEquals(capacity, accepted, "expected a burst of " + (capacity + 1) + " offers to an"
          + " offloader of " + config + ", made while its threads were still handing back"
          + " outcomes of work that had returned, to have exactly " + capacity + " accepted; "
          + accepted + " were: " + (accepted < capacity ? "refused while there was room. A task"
              + " counts until its work returns; an executor's own bounded queue is not the"
              + " bound: it counts only the tasks no thread has taken yet"
              : "the bound was exceeded"));
    }
    flush();
    assertEquals(accepted, reported.get(), config + ": expected every accepted task of the"
        + " burst reported once close() returned");
  }

  @Test
  @Points(3)
  void aTaskGivesBackItsPlaceWhenItsWorkReturnsNotWhenTheLoopRunsItsOutcome() {
    assertTimeoutPreemptively(LIMIT, () -> {
      WatchedLoop watched = new WatchedLoop(loop.dispatcher());
      CountDownLatch hold = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(1);
      AtomicInteger outcomes = new AtomicInteger();
      try (Offloader offloader = new Offloader("give-back", 1, 0)) {
        // Held only once the offloader exists: a constructor that throws must not leave the
        // loop held for 30 s (the loop's stop() would wait for it).
        loop.dispatcher().post(() -> {
          held.countDown();
          try {
            hold.await(30, TimeUnit.SECONDS); // the loop is busy: posted outcomes wait
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        try {
          assertTrue(held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the loop is held");
          assertTrue(offloader.offload(() -> 1L, watched, (x, f) -> outcomes.incrementAndGet()),
              "expected the first task accepted by an empty offloader of 1 thread");
          assertTrue(watched.awaitPosts(1, WAIT), "expected the first task's outcome posted to"
              + " the loop within " + WAIT.toSeconds() + " s of its work returning");
          boolean again = false;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
          while (!again && System.nanoTime() - deadline < 0) {
            again = offloader.offload(() -> 2L, watched, (x, f) -> outcomes.incrementAndGet());
            Thread.yield();
          }
          assertTrue(again, "expected the only place given back as soon as the first task's"
              + " work returned (its outcome was posted), while the loop was still busy and"
              + " had not run that outcome; still refused 2 s later: the count is released on"
              + " the loop, so one busy loop blocks the offloader for every other loop");
          assertEquals(0, outcomes.get(), "expected no outcome run while the loop was held");
        } finally {
          hold.countDown();
        }
        assertTrue(watched.awaitPosts(2, WAIT), "expected the second task's outcome posted");
      }
      flush();
      assertEquals(2, outcomes.get(), "expected both outcomes run once the loop was free");
    });
  }

  @Test
  @Points(4)
  void offersRacingWithCloseAreEitherRunAndReportedOrRefused() {
    int rounds = 8;
    int producers = 3;
    assertTimeoutPreemptively(LIMIT, () -> {
      ResourceProbe.Snapshot before = ResourceProbe.snapshot();
      List<String> failures = new ArrayList<>();
      for (int round = 0; round < rounds && failures.size() < 3; round++) {
        String problem = oneCloseRace(producers, round);
        if (problem != null) {
          failures.add("round " + (round + 1) + ": " + problem);
        }
      }
      assertTrue(failures.isEmpty(), () -> "expected " + producers + " threads offering while"
          + " another closes the offloader: each offer refused, or run once and reported"
          + " once, no work started after close() returned, in all " + rounds + " rounds;"
          + " failed in " + failures.size() + " rounds (stopping at the third), first: "
          + failures.get(0));
      List<String> leaks = before.leaksSince(Duration.ofSeconds(5));
      assertTrue(leaks.isEmpty(), "expected every pool thread of " + rounds + " closed"
          + " offloaders ended: " + leaks);
    });
  }

  private String oneCloseRace(int producers, int round) throws Exception {
    int perProducer = 300;
    Offloader offloader = new Offloader("closing-" + round, 2, 8);
    AtomicIntegerArray ran = new AtomicIntegerArray(producers * perProducer);
    AtomicIntegerArray reported = new AtomicIntegerArray(producers * perProducer);
    boolean[] accepted = new boolean[producers * perProducer];
    AtomicInteger lateStarts = new AtomicInteger();
    AtomicInteger offered = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();
    CyclicBarrier go = new CyclicBarrier(producers + 1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int first = p * perProducer;
      Thread t = new Thread(() -> {
        try {
          go.await(10, TimeUnit.SECONDS);
          for (int k = first; k < first + perProducer; k++) {
            int task = k;
            accepted[task] = offloader.offload(() -> {
              if (closed.get()) {
                lateStarts.incrementAndGet();
              }
              ran.incrementAndGet(task);
              return task;
            }, loop.dispatcher(), (x, f) -> reported.incrementAndGet(task));
            offered.incrementAndGet();
          }
        } catch (Throwable e) {
          thrown.compareAndSet(null, e);
        }
      }, "producer-" + p);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    go.await(10, TimeUnit.SECONDS);
    // Let the producers get going before the close: about a third of their offers made.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (offered.get() < perProducer && System.nanoTime() - deadline < 0) {
      Thread.yield();
    }
    offloader.close();
    closed.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
    if (thrown.get() != null) {
      return "an offload() racing with close() threw " + thrown.get()
          + " (it must return false once the offloader is closed)";
    }
    flush();
    if (lateStarts.get() > 0) {
      return lateStarts.get() + " task(s) started after close() returned";
    }
    for (int task = 0; task < accepted.length; task++) {
      if (accepted[task] && (ran.get(task) != 1 || reported.get(task) != 1)) {
        return "accepted task " + task + " ran " + ran.get(task) + " time(s) and was reported "
            + reported.get(task) + " time(s); expected once each (close() lets accepted work"
            + " finish)";
      }
      if (!accepted[task] && ran.get(task) != 0) {
        return "refused task " + task + " ran " + ran.get(task) + " time(s)";
      }
    }
    if (offloader.offload(() -> 0L, loop.dispatcher(), (x, f) -> { })) {
      return "an offload() after close() returned was accepted";
    }
    return null;
  }

  /** A loop whose {@code post} waits until the test lets go: holds a pool thread after its work. */
  private static final class HeldPosts extends ForwardingDispatcher {
    private final java.util.concurrent.Semaphore posting = new java.util.concurrent.Semaphore(0);
    private final CountDownLatch letGo = new CountDownLatch(1);

    HeldPosts(Dispatcher loop) {
      super(loop);
    }

    boolean awaitPosting(int n, Duration timeout) throws InterruptedException {
      return posting.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void letGo() {
      letGo.countDown();
    }

    @Override
    public void post(Runnable callback) {
      posting.release();
      try {
        letGo.await(30, TimeUnit.SECONDS); // bounded: a lost test cannot hold a thread forever
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.post(callback);
    }
  }

  /** A loop that counts the posts made to it, then passes everything to the real one. */
  private static final class WatchedLoop extends ForwardingDispatcher {
    private final java.util.concurrent.Semaphore posts = new java.util.concurrent.Semaphore(0);

    WatchedLoop(Dispatcher loop) {
      super(loop);
    }

    boolean awaitPosts(int n, Duration timeout) throws InterruptedException {
      boolean all = posts.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (all) {
        posts.release(n);
      }
      return all;
    }

    @Override
    public void post(Runnable callback) {
      super.post(callback);
      posts.release();
    }
  }
}
