package io.kallisto.net;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.event.nio.NioDispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A TCP listener on 127.0.0.1 over a {@link ServerSocketChannel}, accepting on a
 * {@link NioDispatcher}'s loop: the NIO twin of {@link TcpListener}, with the same limit of
 * {@link TcpListener#MAX_ACCEPTS_PER_WAKEUP} accepts per wakeup. Loop-only but {@link #port()}.
 */
public final class NioListener implements Listener {
  private static final int BACKLOG = 1024;

  private final NioDispatcher dispatcher;
  private final ServerSocketChannel channel;
  private final Consumer<AcceptedSocket> acceptor;
  private final int port;
  private final FileEvent event;
  private boolean closed;

  private NioListener(NioDispatcher dispatcher, ServerSocketChannel channel,
      Consumer<AcceptedSocket> acceptor) throws IOException {
    this.dispatcher = dispatcher;
    this.channel = channel;
    this.acceptor = acceptor;
    this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    this.event = dispatcher.registerChannel(channel,
        FileReadyCallback.named(Server.ACCEPT_CONNECTION, this::onReady), FileReadyType.READ);
  }

  /**
   * Binds 127.0.0.1:{@code port} and starts accepting. Loop-only.
   *
   * @throws UncheckedIOException if binding fails, naming the address and the reason
   * @throws UnsupportedOperationException if {@code reusePort} is asked for where the platform
   *     has no {@code SO_REUSEPORT}
   */
  public static NioListener open(NioDispatcher dispatcher, int port, boolean reusePort,
      Consumer<AcceptedSocket> acceptor) {
    ServerSocketChannel channel;
    try {
      channel = ServerSocketChannel.open();
    } catch (IOException e) {
      throw new UncheckedIOException("ServerSocketChannel.open() failed: " + e.getMessage(), e);
    }
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (reusePort) {
        if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
          throw new UnsupportedOperationException("SO_REUSEPORT is not available on "
              + System.getProperty("os.name") + "; use a single acceptor instead");
        }
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      }
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
      return new NioListener(dispatcher, channel, acceptor);
    } catch (IOException e) {
      NioTransport.closeQuietly(channel);
      throw new UncheckedIOException("bind(127.0.0.1:" + port + ") failed: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      NioTransport.closeQuietly(channel);
      throw e;
    }
  }

  @Override
  public int port() {
    return port;
  }

  private void onReady(int events) {
    for (int i = 0; i < TcpListener.MAX_ACCEPTS_PER_WAKEUP && !closed; i++) {
      SocketChannel c;
      try {
        c = channel.accept();
      } catch (IOException e) {
        return; // the connection was reset before we took it; the next one may be fine
      }
      if (c == null) {
        return;
      }
      Accepted socket = new Accepted(c);
      try {
        acceptor.accept(socket);
      } catch (RuntimeException e) {
        socket.close(); // unless a transport already took it
        throw e;
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    LoopOnly.check(dispatcher, "NioListener", "close()");
    closed = true;
    try {
      event.close();
    } finally {
      NioTransport.closeQuietly(channel);
    }
  }

  /** An accepted channel, opened as an {@link NioTransport} on whichever NIO loop takes it. */
  private static final class Accepted implements AcceptedSocket {
    private SocketChannel channel;

    Accepted(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public Transport open(Dispatcher dispatcher, FileReadyCallback onReady) {
      if (channel == null) {
        throw new IllegalStateException("this accepted socket was already opened or closed");
      }
      if (!(dispatcher instanceof NioDispatcher)) {
        throw new IllegalArgumentException("a java.nio channel can only be served by an NIO"
            + " dispatcher, not by '" + dispatcher.name() + "'");
      }
      SocketChannel c = channel;
      channel = null;
      return NioTransport.accepted((NioDispatcher) dispatcher, c, onReady);
    }

    @Override
    public void close() {
      if (channel != null) {
        NioTransport.closeQuietly(channel);
        channel = null;
      }
    }
  }
}
