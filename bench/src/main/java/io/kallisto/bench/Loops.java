package io.kallisto.bench;

import io.kallisto.bench.diagnosis.JctoolsPostQueue;

/**
 * Creates the loops compared by name. The names are the {@code @Param("loop")} values of every
 * loop benchmark, with Kallisto first because the ratio table divides by the others.
 */
public final class Loops {
  /** Kallisto's {@code EpollDispatcher}: the loop under test. */
  public static final String KALLISTO = "kallisto";
  /** Netty 4.2 with {@code EpollIoHandler}. */
  public static final String NETTY_EPOLL = "netty-epoll";
  /** Netty 4.2 with {@code NioIoHandler}. */
  public static final String NETTY_NIO = "netty-nio";
  /** {@link JdkSelectorLoop}, the minimal loop written for these benchmarks. */
  public static final String JDK = "jdk";

  /** Diagnosis: Kallisto with Netty's JCTools MPSC queue as its post queue. */
  public static final String KALLISTO_JCTOOLS_QUEUE = "kallisto-jctoolsq";

  /** The peers, in the order the ratio table shows them. */
  public static final String[] PEERS = {NETTY_EPOLL, NETTY_NIO, JDK};

  private Loops() {}

  /** Starts a loop of the kind {@code kind} on a new thread named after {@code name}. */
  public static BenchLoop start(String kind, String name) {
    switch (kind) {
      case KALLISTO:
        return new KallistoLoop(name);
      case NETTY_EPOLL:
        return NettyLoop.epoll();
      case NETTY_NIO:
        return NettyLoop.nio();
      case JDK:
        return new JdkSelectorLoop(name);
      case KALLISTO_JCTOOLS_QUEUE:
        return new KallistoLoop(kind, name, new JctoolsPostQueue());
      default:
        throw new IllegalArgumentException("loop=" + kind + " is unknown; use one of "
            + KALLISTO + ", " + NETTY_EPOLL + ", " + NETTY_NIO + ", " + JDK + " (or the diagnosis"
            + " variant " + KALLISTO_JCTOOLS_QUEUE + ")");
    }
  }
}
