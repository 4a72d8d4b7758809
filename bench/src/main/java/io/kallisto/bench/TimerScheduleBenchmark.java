package io.kallisto.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Timer scheduling rate: from a task on the loop, schedule {@value #TIMERS} one-shot timers an
 * hour out. The score is timers scheduled per second. Cancelling them happens after each
 * operation, outside the measured time ({@code Level.Invocation}, which is fine for an operation
 * this long).
 */
@State(Scope.Benchmark)
@Fork(1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TimerScheduleBenchmark {
  /** Timers scheduled per operation. */
  public static final int TIMERS = 1_000_000;
  private static final long DELAY_NANOS = TimeUnit.HOURS.toNanos(1);
  private static final Runnable NEVER = () -> {
    throw new IllegalStateException("an hour-long benchmark timer fired");
  };

  @Param({Loops.KALLISTO, Loops.NETTY_EPOLL, Loops.NETTY_NIO, Loops.JDK})
  public String loop;

  private BenchLoop target;
  private final Object[] handles = new Object[TIMERS];

  /** Starts the loop. */
  @Setup(Level.Trial)
  public void start() {
    target = Loops.start(loop, "schedule-" + loop);
    Await.onLoop(target, () -> { }, "first task");
  }

  /** Cancels the timers the last operation scheduled, newest first. */
  @TearDown(Level.Invocation)
  public void cancelAll() {
    Await.onLoop(target, () -> {
      for (int i = TIMERS - 1; i >= 0; i--) {
        target.cancel(handles[i]);
        handles[i] = null;
      }
    }, "cancelling timers");
  }

  /** Stops the loop. */
  @TearDown(Level.Trial)
  public void stop() {
    target.close();
  }

  /** Schedules {@value #TIMERS} timers on the loop thread. */
  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public void schedule() {
    Await.onLoop(target, () -> {
      for (int i = 0; i < TIMERS; i++) {
        handles[i] = target.schedule(NEVER, DELAY_NANOS);
      }
    }, "scheduling timers");
  }
}
