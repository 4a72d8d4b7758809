package io.kallisto.exercises.support;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a grading test counts to check that a submission released what it made, and that a
 * thread waits rather than spins: the JVM's open fds ({@code /proc/self/fd}), its live threads,
 * and one thread's CPU time, waits and states ({@link ThreadMXBean}). For the forked test JVM.
 *
 * <pre>{@code
 * ResourceProbe.Snapshot before = ResourceProbe.snapshot();
 * ... make a pool, use it, stop it ...
 * List<String> leaks = before.leaksSince(Duration.ofSeconds(5));  // empty if all released
 * }</pre>
 *
 * <p><b>Note:</b> counts are of the whole JVM, so a test takes its snapshot after a warm-up
 * round (classes loaded, jars opened) and runs nothing else meanwhile. Safe from any thread.
 */
public final class ResourceProbe {
  /** Threads the JVM itself may start at any moment; never the submission's. */
  private static final List<String> JVM_THREADS = List.of("Attach Listener", "Common-Cleaner",
      "process reaper", "Signal Dispatcher", "JFR ", "C1 ", "C2 ", "Notification Thread");

  private ResourceProbe() {}

  /** The fds open in this JVM now, or -1 where {@code /proc/self/fd} does not exist. */
  public static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    // list() itself opens the directory: that fd is gone again when it returns.
    return fds == null ? -1 : fds.length - 1;
  }

  /** The live threads and open fds now, to compare with later. */
  public static Snapshot snapshot() {
    return new Snapshot(new HashSet<>(Thread.getAllStackTraces().keySet()), openFds());
  }

  /** Live threads and open fds at one moment. */
  public static final class Snapshot {
    private final Set<Thread> threads;
    private final int fds;

    private Snapshot(Set<Thread> threads, int fds) {
      this.threads = threads;
      this.fds = fds;
    }

    /** The fds open when the snapshot was taken (-1: cannot tell). */
    public int fds() {
      return fds;
    }

    /**
     * What is still held that was not at the snapshot, described: threads started since that
     * are still alive after up to {@code wait} (each is joined with the time left, never slept
     * on), and fds opened since. Empty when everything was released.
     */
    public List<String> leaksSince(java.time.Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      List<String> leaks = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (threads.contains(t) || t == Thread.currentThread() || isJvmThread(t)) {
          continue;
        }
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          leaks.add("thread '" + t.getName() + "' (" + t.getState() + ") still alive");
        }
      }
      int now = openFds();
      if (fds >= 0 && now > fds) {
        leaks.add((now - fds) + " more fd(s) open than before (" + fds + " then, " + now
            + " now)");
      }
      return leaks;
    }
  }

  private static boolean isJvmThread(Thread t) {
    for (String prefix : JVM_THREADS) {
      if (t.getName().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How {@code t} spent a window: watched for {@code samples} samples {@code periodMillis}
   * apart. A thread that waits properly (a latch, a lock, a join) is parked nearly all of it,
   * uses almost no CPU and wakes up about once; one that spins is RUNNABLE and burns CPU (or,
   * yielding on a loaded machine, at least stays RUNNABLE); one that polls with short sleeps
   * wakes up again and again.
   */
  public static Idleness watch(Thread t, int samples, long periodMillis) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long id = t.getId();
    long cpu0 = mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(id) : -1;
    ThreadInfo i0 = mx.getThreadInfo(id);
    long waits0 = i0 == null ? 0 : i0.getWaitedCount() + i0.getBlockedCount();
    int runnable = 0;
    for (int s = 0; s < samples; s++) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(periodMillis));
      if (t.getState() == Thread.State.RUNNABLE) {
        runnable++;
      }
    }
    long cpu1 = cpu0 < 0 ? -1 : mx.getThreadCpuTime(id);
    ThreadInfo i1 = mx.getThreadInfo(id);
    long waits1 = i1 == null ? waits0 : i1.getWaitedCount() + i1.getBlockedCount();
    return new Idleness(samples, runnable, cpu0 < 0 || cpu1 < 0 ? 0 : cpu1 - cpu0,
        waits1 - waits0, t.isAlive());
  }

  /**
   * What {@link #watch} saw.
   *
   * @param samples how many times the thread's state was looked at
   * @param runnable how many of those it was RUNNABLE (running or ready to run)
   * @param cpuNanos the CPU time it used in the window
   * @param wakeups how many times it began to wait or block again in the window
   * @param alive whether it was still alive at the end (false: it ended in the window)
   */
  public record Idleness(int samples, int runnable, long cpuNanos, long wakeups,
      boolean alive) {
    /** Null if the thread waited like a thread blocked on a latch; else what it did instead. */
    public String spinning(long maxCpuMillis, int maxWakeups) {
      if (!alive) {
        return null;
      }
      List<String> why = new ArrayList<>();
      if (runnable * 2 > samples) {
        why.add("RUNNABLE in " + runnable + " of " + samples + " looks");
      }
      if (cpuNanos > TimeUnit.MILLISECONDS.toNanos(maxCpuMillis)) {
        why.add("used " + TimeUnit.NANOSECONDS.toMillis(cpuNanos) + " ms of CPU");
      }
      if (wakeups > maxWakeups) {
        why.add("woke up " + wakeups + " times");
      }
      return why.isEmpty() ? null : String.join(", ", why);
    }
  }
}
