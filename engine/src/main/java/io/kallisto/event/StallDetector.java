package io.kallisto.event;

import io.kallisto.trace.NamedTask;
import io.kallisto.trace.Tracing;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The watchdog's arithmetic, on any clock: loops {@link #touch} when they turn, a checker
 * {@link #check}s how long ago each one did, and a loop silent for over {@link GuardDog#MISS}
 * counts a miss, over {@link GuardDog#MEGA_MISS} a mega-miss, once per stall, each traced as a
 * {@code watchdog} event naming the loop. {@link GuardDog} runs it on real threads and
 * {@code System.nanoTime()}; the simulation on simulated loops and virtual time.
 *
 * <p>{@link #touch} and the counts are safe from any thread; {@link #check} is called by one
 * checker at a time.
 */
public final class StallDetector {
  private final List<String> names;
  private final AtomicLongArray lastTouch;
  private final AtomicLongArray misses;
  private final AtomicLongArray megaMisses;
  private final long missNanos = GuardDog.MISS.toNanos();
  private final long megaMissNanos = GuardDog.MEGA_MISS.toNanos();
  // Checker only: the check-in last seen per loop and whether its stall was counted.
  private final long[] seenTouch;
  private final boolean[] missCounted;
  private final boolean[] megaMissCounted;

  /** Watches loops named {@code names}, all counted as checked in at {@code now}. */
  public StallDetector(List<String> names, long now) {
    this.names = List.copyOf(names);
    int n = this.names.size();
    lastTouch = new AtomicLongArray(n);
    misses = new AtomicLongArray(n);
    megaMisses = new AtomicLongArray(n);
    seenTouch = new long[n];
    missCounted = new boolean[n];
    megaMissCounted = new boolean[n];
    for (int i = 0; i < n; i++) {
      lastTouch.set(i, now);
      seenTouch[i] = now;
    }
  }

  /** Loop {@code index} checked in at {@code now}. */
  public void touch(int index, long now) {
    lastTouch.lazySet(index, now);
  }

  /** Counts (and traces) the loops silent too long at {@code now}. Checker only. */
  public void check(long now) {
    for (int i = 0; i < seenTouch.length; i++) {
      long touched = lastTouch.get(i);
      if (touched != seenTouch[i]) {
        seenTouch[i] = touched; // it turned again: a new stall will count anew
        missCounted[i] = false;
        megaMissCounted[i] = false;
      }
      long silent = now - touched;
      if (silent > missNanos && !missCounted[i]) {
        missCounted[i] = true;
        misses.incrementAndGet(i);
        Tracing.watchdog(names.get(i), false, silent);
      }
      if (silent > megaMissNanos && !megaMissCounted[i]) {
        megaMissCounted[i] = true;
        megaMisses.incrementAndGet(i);
        Tracing.watchdog(names.get(i), true, silent);
      }
    }
  }

  /** Misses counted for loop {@code index}. */
  public long misses(int index) {
    return misses.get(index);
  }

  /** Mega-misses counted for loop {@code index}. */
  public long megaMisses(int index) {
    return megaMisses.get(index);
  }

  /**
   * Arms a timer on {@code d} (on its loop) that touches {@code index} every
   * {@link GuardDog#TOUCH_INTERVAL} on {@code d}'s clock, and returns it. Loop-only.
   */
  public Timer touchTimer(Dispatcher d, int index) {
    Timer[] self = new Timer[1];
    self[0] = d.createTimer(NamedTask.of("watchdog check-in", () -> {
      touch(index, d.now());
      self[0].enable(GuardDog.TOUCH_INTERVAL);
    }));
    self[0].enable(GuardDog.TOUCH_INTERVAL);
    return self[0];
  }

  /** Arms {@code checker}'s timer that checks every {@link GuardDog#CHECK_INTERVAL}. Loop-only. */
  public Timer checkTimer(Dispatcher checker) {
    Timer[] check = new Timer[1];
    check[0] = checker.createTimer(NamedTask.of("watchdog check", () -> {
      check(checker.now());
      check[0].enable(GuardDog.CHECK_INTERVAL);
    }));
    check[0].enable(GuardDog.CHECK_INTERVAL);
    return check[0];
  }
}
