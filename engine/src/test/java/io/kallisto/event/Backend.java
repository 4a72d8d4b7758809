package io.kallisto.event;

import io.kallisto.event.epoll.LinuxNative;

/**
 * The backends every contract test runs on. A test that makes sense on one backend only says
 * why it is skipped on the others, with an assumption naming the reason.
 */
public enum Backend {
  /** Linux epoll, eventfd and timerfd through JNA: the reference backend. */
  EPOLL {
    @Override
    public Dispatcher create(String name) {
      return Dispatchers.epoll(name);
    }
  },
  /** A java.nio Selector: the portable backend. */
  NIO {
    @Override
    public Dispatcher create(String name) {
      return Dispatchers.nio(name);
    }
  },
  /** A standalone simulated dispatcher: virtual time, no fds. */
  SIMULATED {
    @Override
    public Dispatcher create(String name) {
      return io.kallisto.sim.SimulatedDispatcher.create(name);
    }
  };

  /** A new dispatcher of this backend. */
  public abstract Dispatcher create(String name);

  /** This backend as a factory, for workers and pools. */
  public DispatcherFactory factory() {
    return this::create;
  }

  /** True if this backend watches raw file descriptors (createFileEvent). */
  public boolean watchesFds() {
    return this == EPOLL;
  }

  /**
   * Opens a pipe and watches its read end on {@code d} with a level-triggered file event, the
   * way this backend watches things: an fd on epoll, a {@link java.nio.channels.Pipe} channel on
   * NIO. Loop-only, like the calls it makes. Close the result to close both ends.
   */
  public WatchedPipe watchPipe(Dispatcher d, FileReadyCallback callback, int events) {
    try {
      if (this == NIO) {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        FileEvent e = ((io.kallisto.event.nio.NioDispatcher) d).registerChannel(pipe.source(),
            callback, events);
        return new WatchedPipe(e, () -> {
          pipe.source().close();
          pipe.sink().close();
        });
      }
      int[] fds = LinuxNative.pipe();
      FileEvent e = d.createFileEvent(fds[0], callback, FileTriggerType.LEVEL, events);
      return new WatchedPipe(e, () -> {
        LinuxNative.close(fds[0], "test pipe");
        LinuxNative.close(fds[1], "test pipe");
      });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A watched pipe: its file event, and how to close the pipe. */
  public record WatchedPipe(FileEvent event, Closer closer) {
    /** Closes both ends of the pipe (the event must be closed first, on the loop). */
    public void closePipe() throws Exception {
      closer.close();
    }
  }

  /** Closes something. */
  @FunctionalInterface
  public interface Closer {
    void close() throws Exception;
  }

  /** True if this backend's loops serve real sockets (the simulated one serves SimNetwork). */
  public boolean servesSockets() {
    return this != SIMULATED;
  }

  /** True if this backend's loops run in real time (the simulated one runs in virtual time). */
  public boolean realTime() {
    return this != SIMULATED;
  }

  /** True if this backend can run here (epoll needs Linux). */
  public boolean available() {
    return this != EPOLL || LinuxNative.isAvailable();
  }
}
