package io.kallisto.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A one-thread Netty 4.2 event loop group, with the epoll or the NIO I/O handler. */
final class NettyLoop implements BenchLoop {
  private final String name;
  private final MultiThreadIoEventLoopGroup group;
  private final EventLoop loop;

  private NettyLoop(String name, IoHandlerFactory factory) {
    this.name = name;
    group = new MultiThreadIoEventLoopGroup(1, factory);
    loop = group.next();
  }

  /** Netty's native epoll transport. */
  static NettyLoop epoll() {
    Epoll.ensureAvailability();
    return new NettyLoop(Loops.NETTY_EPOLL, EpollIoHandler.newFactory());
  }

  /** Netty's NIO transport, on the JDK's epoll {@code Selector}. */
  static NettyLoop nio() {
    return new NettyLoop(Loops.NETTY_NIO, NioIoHandler.newFactory());
  }

  // BenchLoop

  @Override
  public String name() {
    return name;
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public Object schedule(Runnable task, long delayNanos) {
    return loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void cancel(Object handle) {
    ((Future<?>) handle).cancel(false);
  }

  @Override
  public void close() {
    // No quiet period: the benchmark has already waited for all of its tasks.
    if (!group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10_000)) {
      throw new IllegalStateException("Netty loop '" + name + "' did not stop within 10 s");
    }
  }
}
