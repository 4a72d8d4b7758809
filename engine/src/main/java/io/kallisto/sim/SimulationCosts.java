package io.kallisto.sim;

import java.time.Duration;

/**
 * What the simulation charges in virtual time for the work an event loop does besides its
 * callbacks' own ({@link Simulate#cpu}). Each default is a figure measured on the real engine on
 * the 2-core development VM (see BENCHMARKS.md and docs/simulation.md), rounded; change them to
 * model another machine.
 *
 * <pre>{@code
 * SimulationCosts slowWakeups = SimulationCosts.DEFAULT.withWakeupNanos(21_000);
 * }</pre>
 *
 * @param postNanos charged to the poster for each {@code post()} to another dispatcher. The
 *     flood figure is 9 ns a post (117 M posts/s, BENCHMARKS.md "post throughput"); a lone post
 *     pays a cache miss on the queue's tail, so about 100 ns.
 * @param wakeupNanos from the eventfd (or timerfd) write until the sleeping loop runs again: half
 *     a pinned ping-pong round trip, 5.25 us (BENCHMARKS.md, pinned), rounded to 2.5 us. Waking a
 *     loop asleep on another, idle CPU of this VM takes about 21 us (half the free ping-pong).
 * @param syscallNanos one system call of the loop itself: {@code epoll_wait} once per iteration,
 *     the eventfd write of a wakeup. {@code epoll_wait} through JNA costs 363 ns with nothing
 *     ready, an eventfd write+wait+read 1,742 ns for three calls (BENCHMARKS.md, native calls):
 *     about 500 ns.
 * @param ioNanos one read, write or accept on a loopback TCP socket: a 64-byte echo round trip
 *     costs about 13 us of CPU over 4.27 system calls, 88 % of it in the kernel (BENCHMARKS.md,
 *     echo over loopback): about 3 us each.
 * @param timerNanos arming a timer and, later, firing it: 35 ns to schedule (28.8 M timers/s,
 *     BENCHMARKS.md) plus the heap removal and the callback dispatch, about 100 ns in all.
 * @param latencyNanos one-way network latency added to every simulated message; 0 for loopback,
 *     where the kernel delivers during the sender's write (whose cost {@code ioNanos} covers).
 * @param bytesPerSecond each direction of a simulated connection carries this many bytes a
 *     second; 0 for no limit (loopback at these message sizes is bound by the system calls).
 */
public record SimulationCosts(long postNanos, long wakeupNanos, long syscallNanos, long ioNanos,
    long timerNanos, long latencyNanos, long bytesPerSecond) {

  /** The defaults described above. */
  public static final SimulationCosts DEFAULT =
      new SimulationCosts(100, 2_500, 500, 3_000, 100, 0, 0);

  /** Nothing costs anything: only {@link Simulate#cpu} and timers move time. For tests. */
  public static final SimulationCosts FREE = new SimulationCosts(0, 0, 0, 0, 0, 0, 0);

  /** Checks that no cost is negative. */
  public SimulationCosts {
    check("postNanos", postNanos);
    check("wakeupNanos", wakeupNanos);
    check("syscallNanos", syscallNanos);
    check("ioNanos", ioNanos);
    check("timerNanos", timerNanos);
    check("latencyNanos", latencyNanos);
    check("bytesPerSecond", bytesPerSecond);
  }

  private static void check(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + "=" + value + " is negative; use 0 or more");
    }
  }

  /** These costs with another one-way network latency. */
  public SimulationCosts withLatency(Duration latency) {
    return new SimulationCosts(postNanos, wakeupNanos, syscallNanos, ioNanos, timerNanos,
        latency.toNanos(), bytesPerSecond);
  }

  /** These costs with another wakeup latency. */
  public SimulationCosts withWakeupNanos(long nanos) {
    return new SimulationCosts(postNanos, nanos, syscallNanos, ioNanos, timerNanos, latencyNanos,
        bytesPerSecond);
  }

  /** These costs with another bandwidth per connection direction (0: unlimited). */
  public SimulationCosts withBytesPerSecond(long bytes) {
    return new SimulationCosts(postNanos, wakeupNanos, syscallNanos, ioNanos, timerNanos,
        latencyNanos, bytes);
  }
}
