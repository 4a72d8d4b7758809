package io.kallisto.net;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.event.nio.NioDispatcher;
import java.util.function.Consumer;

/**
 * Listens and connects on whichever backend a dispatcher runs: raw fds with epoll
 * ({@link TcpListener}, {@link EpollTransport}), channels with java.nio ({@link NioListener},
 * {@link NioTransport}). Code above this class never needs to know which.
 *
 * <pre>{@code
 * Listener l = Transports.listen(d, 0, false, socket ->
 *     new Connection(d, cb -> socket.open(d, cb), new EchoHandler()));
 * Connection c = new Connection(d, cb -> Transports.connect(d, l.port(), cb), handler);
 * }</pre>
 *
 * <p>Every method is loop-only on the dispatcher it is given. Only 127.0.0.1 is ever used.
 */
public final class Transports {
  private Transports() {}

  /**
   * Listens on 127.0.0.1:{@code port} (0 for an ephemeral port) and hands each accepted
   * connection to {@code acceptor} on {@code dispatcher}'s loop.
   *
   * @param reusePort set {@code SO_REUSEPORT}, so that several listeners share the port
   * @throws java.io.UncheckedIOException if the port cannot be bound, naming it and why
   */
  public static Listener listen(Dispatcher dispatcher, int port, boolean reusePort,
      Consumer<AcceptedSocket> acceptor) {
    if (dispatcher instanceof NioDispatcher) {
      return NioListener.open((NioDispatcher) dispatcher, port, reusePort, acceptor);
    }
    return TcpListener.open(dispatcher, port, reusePort, fd -> {
      EpollAcceptedSocket socket = new EpollAcceptedSocket(fd);
      try {
        acceptor.accept(socket);
      } catch (RuntimeException e) {
        socket.close(); // unless a transport already took it
        throw e;
      }
    });
  }

  /** Starts a non-blocking connect to 127.0.0.1:{@code port}; see {@link Transport}. */
  public static Transport connect(Dispatcher dispatcher, int port, FileReadyCallback onReady) {
    if (dispatcher instanceof NioDispatcher) {
      return NioTransport.connect((NioDispatcher) dispatcher, port, onReady);
    }
    return EpollTransport.connect(dispatcher, port, onReady);
  }

  /** An accepted fd, opened as an {@link EpollTransport}. */
  private static final class EpollAcceptedSocket implements AcceptedSocket {
    private int fd;

    EpollAcceptedSocket(int fd) {
      this.fd = fd;
    }

    @Override
    public Transport open(Dispatcher dispatcher, FileReadyCallback onReady) {
      int mine = take();
      return EpollTransport.accepted(dispatcher, mine, onReady);
    }

    @Override
    public void close() {
      if (fd >= 0) {
        LinuxNative.close(take(), "refused connection");
      }
    }

    private int take() {
      if (fd < 0) {
        throw new IllegalStateException("this accepted socket was already opened or closed");
      }
      int f = fd;
      fd = -1;
      return f;
    }
  }
}
