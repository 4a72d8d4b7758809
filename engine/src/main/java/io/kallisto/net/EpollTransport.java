package io.kallisto.net;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.event.FileTriggerType;
import io.kallisto.event.NativeException;
import io.kallisto.event.epoll.Errno;
import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.event.epoll.LinuxSocket;
import io.kallisto.event.epoll.NativeMemory;
import java.nio.ByteBuffer;

/**
 * A {@link Transport} over a non-blocking socket fd watched by an edge-triggered
 * {@link FileEvent}.
 *
 * <p><b>Why edge-triggered.</b> A connection watches READ, WRITE and CLOSED for its whole life
 * and never re-registers on the hot path: with level triggering, WRITE would have to be switched
 * on and off around every partial write (two {@code epoll_ctl} calls), or the loop would spin on
 * an always-writable socket. Envoy makes the same choice: a connection registers Read and Write
 * edge-triggered for its life ({@code ConnectionImpl::ConnectionImpl},
 * source/common/network/connection_impl.cc). The price is that a reader must read
 * until the socket is drained or arrange to come back, which {@link Connection} does. Drained
 * means {@code read} returned 0 ({@code EAGAIN}) or, for this stream socket, fewer bytes than
 * asked for (epoll(7)); bytes that arrive after that raise a new edge. Changing the watched set
 * with {@link #watch} issues {@code EPOLL_CTL_MOD}, which re-checks readiness, so an edge that
 * happened while READ was not watched is reported again.
 *
 * <p><b>No allocation per call.</b> Looking up the native address of a direct buffer allocates
 * ({@link NativeMemory#addressOf}), so it is looked up once and cached for the last buffer read
 * into and the last buffer written from. A connection uses one buffer each way, so every call
 * hits the cache.
 */
public final class EpollTransport implements Transport {
  private final Dispatcher dispatcher;
  private final int fd;
  private final FileEvent event;
  private final boolean outgoing;
  private int watched;
  private boolean closed;

  private ByteBuffer readBuffer; // the last buffer read into, and its address
  private long readAddress;
  private ByteBuffer writeBuffer; // the last buffer written from, and its address
  private long writeAddress;

  private EpollTransport(Dispatcher dispatcher, int fd, boolean outgoing,
      FileReadyCallback onReady) {
    this.dispatcher = dispatcher;
    this.fd = fd;
    this.outgoing = outgoing;
    this.event = dispatcher.createFileEvent(fd, onReady, FileTriggerType.EDGE, 0);
  }

  /**
   * Wraps an accepted socket, taking ownership of {@code fd} (closed here if wrapping fails).
   * Sets {@code TCP_NODELAY}, as Envoy does for every accepted connection
   * ({@code ActiveTcpConnection::ActiveTcpConnection}, source/server/active_tcp_listener.cc), so
   * small writes are not held back. Loop-only.
   */
  public static EpollTransport accepted(Dispatcher dispatcher, int fd, FileReadyCallback onReady) {
    return wrap(dispatcher, fd, false, onReady);
  }

  /**
   * Starts a non-blocking connect to 127.0.0.1:{@code port}. Until it completes, reads and writes
   * return 0 and WRITE readiness reports completion; a refusal surfaces as a
   * {@link NativeException} from the next read or write. Loop-only.
   */
  public static EpollTransport connect(Dispatcher dispatcher, int port, FileReadyCallback onReady) {
    int fd = LinuxSocket.tcpSocket();
    boolean success = false;
    try {
      LinuxSocket.connect(fd, LinuxSocket.LOOPBACK, port);
      success = true;
    } finally {
      if (!success) {
        closeQuietly(fd);
      }
    }
    return wrap(dispatcher, fd, true, onReady);
  }

  private static EpollTransport wrap(Dispatcher dispatcher, int fd, boolean outgoing,
      FileReadyCallback onReady) {
    boolean success = false;
    try {
      LinuxSocket.setIntOption(fd, LinuxSocket.IPPROTO_TCP, LinuxSocket.TCP_NODELAY, 1,
          "TCP_NODELAY");
      EpollTransport t = new EpollTransport(dispatcher, fd, outgoing, onReady);
      success = true;
      return t;
    } finally {
      if (!success) {
        closeQuietly(fd);
      }
    }
  }

  /** The socket's fd, for diagnostics. Safe from any thread. */
  public int fd() {
    return fd;
  }

  // Transport

  @Override
  public int read(ByteBuffer dst) {
    checkOpen("read()");
    int remaining = dst.remaining();
    if (remaining == 0) {
      return 0; // a zero-length read would return 0, which means end of stream
    }
    if (dst != readBuffer) {
      readAddress = addressOf(dst);
      readBuffer = dst;
    }
    int position = dst.position();
    long n = LinuxNative.readNoThrow(fd, readAddress + position, remaining);
    if (n > 0) {
      dst.position(position + (int) n);
      return (int) n;
    }
    if (n == 0) {
      return -1;
    }
    int err = LinuxNative.errno();
    if (err == Errno.EAGAIN) {
      return 0;
    }
    if (err == Errno.ECONNRESET) {
      return -1; // the peer went away; for the reader that is the end of the stream
    }
    throw Errno.exception("read(fd=" + fd + ")", err);
  }

  @Override
  public int write(ByteBuffer src) {
    checkOpen("write()");
    int remaining = src.remaining();
    if (remaining == 0) {
      return 0;
    }
    if (src != writeBuffer) {
      writeAddress = addressOf(src);
      writeBuffer = src;
    }
    int position = src.position();
    // The JVM ignores SIGPIPE, so a write to a closed peer fails with EPIPE instead of killing us.
    long n = LinuxNative.writeNoThrow(fd, writeAddress + position, remaining);
    if (n >= 0) {
      src.position(position + (int) n);
      return (int) n;
    }
    int err = LinuxNative.errno();
    if (err == Errno.EAGAIN) {
      return 0;
    }
    if (err == Errno.EPIPE || err == Errno.ECONNRESET) {
      return -1;
    }
    throw Errno.exception("write(fd=" + fd + ")", err);
  }

  @Override
  public void watch(int fileReadyEvents) {
    checkOpen("watch()");
    FileReadyType.check(fileReadyEvents);
    if (fileReadyEvents != watched) {
      event.setEnabled(fileReadyEvents);
      watched = fileReadyEvents;
    }
  }

  @Override
  public boolean isOutgoing() {
    return outgoing;
  }

  @Override
  public void setSendBufferSize(int bytes) {
    checkOpen("setSendBufferSize()");
    LinuxSocket.setIntOption(fd, LinuxSocket.SOL_SOCKET, LinuxSocket.SO_SNDBUF, bytes,
        "SO_SNDBUF");
  }

  @Override
  public void shutdownOutput() {
    checkOpen("shutdownOutput()");
    try {
      LinuxSocket.shutdown(fd, LinuxSocket.SHUT_WR, "shutdownOutput");
    } catch (NativeException e) {
      if (e.errno() != Errno.ENOTCONN) { // the peer already reset: nothing left to shut
        throw e;
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    checkLoopThread("close()");
    closed = true;
    readBuffer = null;
    writeBuffer = null;
    // Unregister before closing: once closed, the fd number can be reused by another socket.
    try {
      event.close();
    } finally {
      LinuxNative.close(fd, "transport");
    }
  }

  private void checkOpen(String method) {
    checkLoopThread(method);
    if (closed) {
      throw new IllegalStateException("EpollTransport." + method + " on closed fd=" + fd);
    }
  }

  private void checkLoopThread(String method) {
    LoopOnly.check(dispatcher, "EpollTransport", method);
  }

  private static long addressOf(ByteBuffer buffer) {
    if (!buffer.isDirect()) {
      throw new IllegalArgumentException(
          "buffer=" + buffer + " is a heap buffer; EpollTransport needs a direct buffer");
    }
    return NativeMemory.addressOf(buffer);
  }

  private static void closeQuietly(int fd) {
    try {
      LinuxNative.close(fd, "cleanup");
    } catch (NativeException ignored) {
      // Already failing; the first error is the one worth reporting.
    }
  }
}
