package io.kallisto.bench;

import java.util.concurrent.CountDownLatch;
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
import org.openjdk.jmh.infra.IterationParams;

/**
 * Post throughput: the benchmark thread posts {@value #POSTS} trivial tasks to one loop, then a
 * last task that opens a latch, and waits for it. The score is tasks per second until every task
 * has run. Per measurement iteration it also records the wakeup writes per million posts: the
 * write syscalls the posting thread made, counted by the kernel ({@link ThreadSyscalls}), which
 * measures every peer the same way.
 *
 * <p>{@value #POSTS} posts per operation rather than the 10 million, so that a one-second
 * iteration holds several operations; the rate is the same figure.
 */
@State(Scope.Benchmark)
@Fork(3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PostThroughputBenchmark {
  /** Tasks posted per benchmark operation. */
  public static final int POSTS = 1_000_000;

  @Param({Loops.KALLISTO, Loops.NETTY_EPOLL, Loops.NETTY_NIO, Loops.JDK})
  public String loop;

  private BenchLoop target;
  private final Counter counter = new Counter();
  private long wakeupsAtStart;
  private long postsThisIteration;

  /** Starts the loop. */
  @Setup(Level.Trial)
  public void start() {
    target = Loops.start(loop, "post-" + loop);
    Await.onLoop(target, () -> { }, "first task");
  }

  /** Notes the posting thread's write count at the start of the iteration. */
  @Setup(Level.Iteration)
  public void startIteration() {
    wakeupsAtStart = ThreadSyscalls.writes();
    postsThisIteration = 0;
  }

  /** Records wakeup writes per million posts for this iteration. */
  @TearDown(Level.Iteration)
  public void endIteration(IterationParams iteration) {
    long wakeups = ThreadSyscalls.writes();
    if (wakeups >= 0 && wakeupsAtStart >= 0 && postsThisIteration > 0) {
      SideResults.record(iteration, "post", loop, "wakeups_per_million_posts",
          (wakeups - wakeupsAtStart) * 1e6 / postsThisIteration);
    }
  }

  /** Stops the loop. */
  @TearDown(Level.Trial)
  public void stop() {
    target.close();
  }

  /** Posts {@value #POSTS} tasks and waits until the last has run. */
  @Benchmark
  @OperationsPerInvocation(POSTS)
  public void post() {
    BenchLoop l = target;
    Runnable task = counter;
    for (int i = 0; i < POSTS - 1; i++) {
      l.execute(task);
    }
    CountDownLatch done = new CountDownLatch(1);
    l.execute(done::countDown);
    postsThisIteration += POSTS;
    Await.latch(done, "post batch on " + loop);
  }

  /** The trivial task: one plain increment on the loop thread. */
  static final class Counter implements Runnable {
    long count;

    @Override
    public void run() {
      count++;
    }
  }
}
