package io.kallisto.exercises.grader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The containment of one test JVM ({@link Sandbox#confine}): the wrapper command that puts it in
 * its cgroups, rlimits and namespaces, and the kill that ends it and every process it started.
 *
 * <p>How everything is found at the end, strongest first: with a PID namespace, killing the
 * {@code unshare} process kills the namespace's first process ({@code --kill-child}), and the
 * kernel then kills every process in the namespace, whatever session or parent it has. With a
 * cgroup, every member is listed and killed. With neither, the process group and the
 * descendants seen at the end are killed: a process that left both (setsid, then its parent
 * exited) escapes, which {@link Sandbox#describe} says.
 *
 * <p>Started and closed by the grading thread; {@link #killAll} may also come from the grader's
 * shutdown hook, concurrently.
 */
final class Confinement implements AutoCloseable {
  private static final long KILL_MILLIS = 5000;

  private final List<String> prefix;
  private final Map<String, String> environment;
  private final CgroupV1 group;
  private final boolean namespaced;
  private final boolean ownGroup;
  private final Path dir;
  /** Every descendant seen while the JVM ran, for the fallback kill: they may be orphans now. */
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
  private Process process;
  private boolean killed;

  Confinement(List<String> prefix, Map<String, String> environment, CgroupV1 group,
      boolean namespaced, boolean ownGroup, Path dir) {
    this.prefix = List.copyOf(prefix);
    this.environment = Map.copyOf(environment);
    this.group = group;
    this.namespaced = namespaced;
    this.ownGroup = ownGroup;
    this.dir = dir;
  }

  /** Variables the JVM (and any JVM it starts) needs to live within these limits. */
  Map<String, String> environment() {
    return environment;
  }

  /**
   * Starts {@code command} (a {@code java} command line) confined, in this confinement's
   * directory, with exactly {@code env} and {@link #environment} as its environment. Stdout and
   * stdin are pipes.
   *
   * @throws IllegalStateException if the grader is shutting down (the caller must not start
   *     anything more)
   */
  synchronized Process start(List<String> command, Map<String, String> env) throws IOException {
    if (killed) {
      throw new IllegalStateException("grading interrupted: the grader is shutting down");
    }
    List<String> all = new ArrayList<>(prefix);
    all.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(all).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().putAll(environment);
    process = pb.start();
    return process;
  }

  /**
   * Waits up to {@code millis} for the JVM started to exit; true if it did. Without a namespace
   * or a cgroup to find them by, it notes the JVM's descendants every 100 ms meanwhile, so that
   * a child in a session of its own is still killed once the JVM that parented it exited.
   */
  boolean awaitExit(long millis) throws InterruptedException {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (group != null || namespaced) {
      return p.waitFor(millis, TimeUnit.MILLISECONDS);
    }
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      p.descendants().forEach(seen::add);
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      if (p.waitFor(Math.min(left, 100), TimeUnit.MILLISECONDS)) {
        return true;
      }
    }
  }

  /**
   * Kills the JVM and every process it started, and waits (bounded) until they are gone; true
   * if none is known to be left. Idempotent; safe from any thread.
   */
  synchronized boolean killAll() {
    killed = true;
    if (process == null) {
      return true;
    }
    // Seen before the kill: once the JVM dies its children are reparented out of this tree.
    process.descendants().forEach(seen::add);
    process.destroyForcibly();
    boolean clean = true;
    if (group != null) {
      clean = group.killAll(KILL_MILLIS);
    } else if (!namespaced) {
      if (ownGroup) {
        killProcessGroup(process.pid());
      }
      seen.forEach(ProcessHandle::destroyForcibly);
    }
    try {
      clean &= process.waitFor(KILL_MILLIS, TimeUnit.MILLISECONDS);
      if (group == null && !namespaced) {
        for (ProcessHandle h : seen) {
          clean &= !h.isAlive() || h.onExit().completeOnTimeout(h, KILL_MILLIS,
              TimeUnit.MILLISECONDS).thenApply(x -> !x.isAlive()).join();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return clean;
  }

  /** Whether the kernel killed a process of this JVM for going over the memory limit. */
  boolean memoryExceeded() {
    return group != null && group.memoryExceeded();
  }

  /** Kills everything (if not done), then removes the cgroups. */
  @Override
  public void close() {
    killAll();
    if (group != null) {
      group.remove();
    }
  }

  /** {@code kill -KILL -PGID}: Java has no call for a process group, the shell does. */
  private static void killProcessGroup(long pgid) {
    try {
      Process k = new ProcessBuilder("/bin/sh", "-c", "kill -9 -- -\"$1\"", "kill",
          Long.toString(pgid)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      k.waitFor(KILL_MILLIS, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      // No shell: the descendants are still killed one by one.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
