package io.kallisto.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Timer lateness: from a task on the loop, schedule {@value #TIMERS} one-shot timers with delays
 * spread evenly over {@value #SPREAD_MILLIS} ms, then wait until all have fired. Each timer
 * records how late it ran against the deadline noted just before it was scheduled. The JMH score
 * is only the batch time (about {@value #SPREAD_MILLIS} ms); the figures are the lateness p50
 * and p99 of each measurement iteration, in {@link SideResults}.
 */
@State(Scope.Benchmark)
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TimerLatenessBenchmark {
  /** Timers per batch. */
  public static final int TIMERS = 10_000;
  /** The delays run from 0 to just under this. */
  public static final int SPREAD_MILLIS = 100;

  @Param({Loops.KALLISTO, Loops.NETTY_EPOLL, Loops.NETTY_NIO, Loops.JDK})
  public String loop;

  private BenchLoop target;
  // Written and read on the loop thread; the benchmark thread reads it after the latch.
  private final Histogram lateness = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
  private final long[] deadlines = new long[TIMERS];
  private final Runnable[] callbacks = new Runnable[TIMERS];
  private int fired;
  private CountDownLatch done;

  /** Starts the loop and creates the callbacks once. */
  @Setup(Level.Trial)
  public void start() {
    target = Loops.start(loop, "timers-" + loop);
    for (int i = 0; i < TIMERS; i++) {
      int index = i;
      callbacks[i] = () -> onFire(index);
    }
    Await.onLoop(target, () -> { }, "first task");
  }

  /** Starts each iteration with an empty histogram. */
  @Setup(Level.Iteration)
  public void startIteration() {
    lateness.reset();
  }

  /** Records the iteration's lateness percentiles, in microseconds. */
  @TearDown(Level.Iteration)
  public void endIteration(IterationParams iteration) {
    SideResults.record(iteration, "timers", loop, "late_p50_us",
        lateness.getValueAtPercentile(50) / 1000.0);
    SideResults.record(iteration, "timers", loop, "late_p99_us",
        lateness.getValueAtPercentile(99) / 1000.0);
  }

  /** Stops the loop. */
  @TearDown(Level.Trial)
  public void stop() {
    target.close();
  }

  /** Schedules the batch on the loop and waits until every timer has fired. */
  @Benchmark
  public void lateness() {
    CountDownLatch latch = new CountDownLatch(1);
    done = latch;
    fired = 0;
    target.execute(this::scheduleBatch);
    Await.latch(latch, "timer batch on " + loop);
  }

  private void scheduleBatch() {
    long step = TimeUnit.MILLISECONDS.toNanos(SPREAD_MILLIS) / TIMERS;
    for (int i = 0; i < TIMERS; i++) {
      long delay = i * step;
      deadlines[i] = System.nanoTime() + delay;
      target.schedule(callbacks[i], delay);
    }
  }

  private void onFire(int index) {
    // An early timer would be a bug in the loop; it is recorded as 0 rather than hidden.
    lateness.recordValue(Math.max(0, System.nanoTime() - deadlines[index]));
    if (++fired == TIMERS) {
      done.countDown();
    }
  }
}
