package io.kallisto.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's echo peer, on the epoll or the NIO transport: a one-thread
 * {@link MultiThreadIoEventLoopGroup} serves the server (its listening channel and every accepted
 * channel), another the client's {@value EchoPeer#CONNECTIONS} channels. The server handler is
 * Netty's own echo example: {@code write} on each read, {@code flush} when the read burst ends.
 * {@code TCP_NODELAY} is set on both sides, as Kallisto sets it.
 */
final class NettyEcho extends EchoPeer {
  private static final long TIMEOUT_MS = 10_000;

  private final MultiThreadIoEventLoopGroup serverGroup;
  private final MultiThreadIoEventLoopGroup clientGroup;
  private final List<Channel> channels = new ArrayList<>(); // benchmark thread only
  private volatile boolean closing;

  private NettyEcho(String name, IoHandlerFactory factory,
      Class<? extends ServerChannel> serverChannel, Class<? extends Channel> clientChannel) {
    super(name);
    serverGroup = new MultiThreadIoEventLoopGroup(1, factory);
    clientGroup = new MultiThreadIoEventLoopGroup(1, factory);
    boolean success = false;
    try {
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      Channel server = await(new ServerBootstrap()
          .group(serverGroup)
          .channel(serverChannel)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new EchoServerHandler())
          .bind(loopback, 0), "bind the echo server");
      channels.add(server);
      InetSocketAddress address = new InetSocketAddress(loopback,
          ((InetSocketAddress) server.localAddress()).getPort());
      Bootstrap client = new Bootstrap()
          .group(clientGroup)
          .channel(clientChannel)
          .option(ChannelOption.TCP_NODELAY, true);
      for (int i = 0; i < CONNECTIONS; i++) {
        Client x = new Client(i);
        x.channel = await(client.clone().handler(x.handler).connect(address),
            "connect echo client " + i);
        channels.add(x.channel);
        exchanges.add(x);
      }
      success = true;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("127.0.0.1 is not an address?", e);
    } finally {
      if (!success) {
        close();
      }
    }
  }

  /** Netty's native epoll transport. */
  static NettyEcho epoll() {
    Epoll.ensureAvailability();
    return new NettyEcho(Loops.NETTY_EPOLL, EpollIoHandler.newFactory(),
        EpollServerSocketChannel.class, EpollSocketChannel.class);
  }

  /** Netty's NIO transport, on the JDK's epoll {@code Selector}. */
  static NettyEcho nio() {
    return new NettyEcho(Loops.NETTY_NIO, NioIoHandler.newFactory(),
        NioServerSocketChannel.class, NioSocketChannel.class);
  }

  @Override
  protected void onClientLoop(Runnable task) {
    clientGroup.next().execute(task);
  }

  @Override
  public void close() {
    closing = true;
    try {
      // Clients first (index 1 on), then the listening channel.
      for (int i = channels.size() - 1; i >= 0; i--) {
        channels.get(i).close().awaitUninterruptibly(TIMEOUT_MS);
      }
    } finally {
      try {
        shutDown(clientGroup, "client");
      } finally {
        shutDown(serverGroup, "server");
      }
    }
  }

  private void shutDown(MultiThreadIoEventLoopGroup group, String which) {
    // No quiet period: every round trip has already come back.
    Future<?> f = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    if (!f.awaitUninterruptibly(TIMEOUT_MS)) {
      throw new IllegalStateException("Netty " + which + " group of " + name()
          + " did not stop within " + TIMEOUT_MS + " ms");
    }
  }

  private Channel await(ChannelFuture f, String what) {
    if (!f.awaitUninterruptibly(TIMEOUT_MS)) {
      throw new IllegalStateException(what + " on " + name() + " took over " + TIMEOUT_MS
          + " ms");
    }
    if (!f.isSuccess()) {
      throw new IllegalStateException(what + " on " + name() + " failed", f.cause());
    }
    return f.channel();
  }

  /** Netty's echo example: write what arrives, flush when the read burst is over. */
  @ChannelHandler.Sharable
  private static final class EchoServerHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One client channel: sends a pooled direct copy of the message, checks and frees replies. */
  private final class Client extends EchoExchange {
    Channel channel;
    final ChannelHandler handler = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
          onEchoed(data);
        } finally {
          data.release();
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        onClosed("channel inactive", closing);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        rounds.fail("client channel failed: " + cause);
        ctx.close();
      }
    };

    Client(int index) {
      super(index, NettyEcho.this.rounds);
    }

    @Override
    protected void write(byte[] message) {
      ByteBuf out = channel.alloc().ioBuffer(MESSAGE_BYTES).writeBytes(message);
      channel.writeAndFlush(out, channel.voidPromise());
    }
  }
}
