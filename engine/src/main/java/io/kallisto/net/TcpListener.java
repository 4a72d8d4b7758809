package io.kallisto.net;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.event.FileTriggerType;
import io.kallisto.event.NativeException;
import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.event.epoll.LinuxSocket;
import java.util.Objects;

/**
 * A TCP listener on 127.0.0.1 that accepts on its dispatcher's loop and hands each new
 * connection's fd to an {@link Acceptor}.
 *
 * <p>With {@code reusePort}, several dispatchers can each own a listener on the same port
 * ({@code SO_REUSEPORT}, socket(7); Envoy's default, {@code enable_reuse_port} in
 * api/envoy/config/listener/v3/listener.proto): the kernel spreads incoming connections across
 * them by a hash of the connection's addresses and ports ({@code inet_lookup_reuseport},
 * net/ipv4/inet_hashtables.c), so no lock or hand-off is needed between threads.
 *
 * <pre>{@code
 * TcpListener l = TcpListener.open(d, 0, true, fd ->
 *     new Connection(d, cb -> EpollTransport.accepted(d, fd, cb), new EchoHandler()));
 * int port = l.port();
 * }</pre>
 *
 * <p>Every method but {@link #port()} is loop-only. The listener is level-triggered: it accepts
 * at most {@link #MAX_ACCEPTS_PER_WAKEUP} connections per wakeup, so a connection storm cannot
 * starve the loop's other work, and the kernel reports the rest on the next iteration.
 */
public final class TcpListener implements Listener {
  /** Accepts per readiness callback before yielding to the loop's other work. */
  public static final int MAX_ACCEPTS_PER_WAKEUP = 64;

  private static final int BACKLOG = 1024;

  private final Dispatcher dispatcher;
  private final Acceptor acceptor;
  private final int fd;
  private final int port;
  private final FileEvent event;
  private boolean closed;

  private TcpListener(Dispatcher dispatcher, Acceptor acceptor, int fd) {
    this.dispatcher = dispatcher;
    this.acceptor = acceptor;
    this.fd = fd;
    this.port = LinuxSocket.localPort(fd);
    this.event = dispatcher.createFileEvent(fd,
        FileReadyCallback.named(Server.ACCEPT_CONNECTION, this::onReady), FileTriggerType.LEVEL,
        FileReadyType.READ);
  }

  /**
   * Binds 127.0.0.1:{@code port} and starts accepting on {@code dispatcher}. Loop-only.
   *
   * @param port the port, or 0 for an ephemeral one (see {@link #port()})
   * @param reusePort set {@code SO_REUSEPORT}, so that other listeners that also set it may
   *     share the port
   * @throws NativeException if the socket cannot be bound, for example {@code "bind(fd=12,
   *     127.0.0.1:8080) failed: errno 98 (EADDRINUSE)"}
   */
  public static TcpListener open(Dispatcher dispatcher, int port, boolean reusePort,
      Acceptor acceptor) {
    Objects.requireNonNull(dispatcher, "dispatcher");
    Objects.requireNonNull(acceptor, "acceptor");
    int fd = LinuxSocket.tcpSocket();
    boolean success = false;
    try {
      // SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT; it
      // does not let two listeners share a port on Linux (that is SO_REUSEPORT).
      LinuxSocket.setIntOption(fd, LinuxSocket.SOL_SOCKET, LinuxSocket.SO_REUSEADDR, 1,
          "SO_REUSEADDR");
      if (reusePort) {
        LinuxSocket.setIntOption(fd, LinuxSocket.SOL_SOCKET, LinuxSocket.SO_REUSEPORT, 1,
            "SO_REUSEPORT");
      }
      LinuxSocket.bind(fd, LinuxSocket.LOOPBACK, port);
      LinuxSocket.listen(fd, BACKLOG, "listener");
      TcpListener listener = new TcpListener(dispatcher, acceptor, fd);
      success = true;
      return listener;
    } finally {
      if (!success) {
        try {
          LinuxNative.close(fd, "listener cleanup");
        } catch (NativeException ignored) {
          // Already failing; the bind error is the one worth reporting.
        }
      }
    }
  }

  @Override
  public int port() {
    return port;
  }

  private void onReady(int events) {
    for (int i = 0; i < MAX_ACCEPTS_PER_WAKEUP && !closed; i++) {
      int c = LinuxSocket.accept(fd);
      if (c < 0) {
        return;
      }
      acceptor.onAccept(c); // owns c from here, even if it throws
    }
  }

  /**
   * Stops accepting and closes the listening socket. Connections already accepted are not
   * affected; ones still in the kernel's backlog are reset. Loop-only. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    LoopOnly.check(dispatcher, "TcpListener", "close()");
    closed = true;
    try {
      event.close();
    } finally {
      LinuxNative.close(fd, "listener");
    }
  }
}
