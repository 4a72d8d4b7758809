package io.kallisto.net;

import io.kallisto.event.FileEvent;
import io.kallisto.event.FileReadyType;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.nio.NioDispatcher;
import io.kallisto.trace.TracedCallback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A {@link Transport} over a non-blocking {@link SocketChannel} on a {@link NioDispatcher}.
 *
 * <p><b>Level-triggered, so WRITE is asked for only when needed.</b> A selector reports a
 * writable socket on every poll; watching WRITE all the time would spin the loop. So this
 * transport asks the selector for WRITE only while a write is waiting for room (or a connect for
 * completion), and stops asking once it is reported. READ is asked for while the owner watches
 * it. To the {@link Connection} above, this behaves as the edge-triggered epoll transport does.
 *
 * <p>A selector never reports a peer's close by itself: the read that returns -1 is the report.
 * A failed connect surfaces as an {@link UncheckedIOException} from the next read or write.
 */
public final class NioTransport implements Transport {
  private final NioDispatcher dispatcher;
  private final SocketChannel channel;
  private final FileReadyCallback owner;
  private final FileEvent event;
  private int watched;
  private final boolean outgoing;
  private boolean connecting;
  private boolean writeWaiting;
  private IOException connectFailure;
  private boolean closed;

  private NioTransport(NioDispatcher dispatcher, SocketChannel channel, boolean outgoing,
      boolean connecting, FileReadyCallback owner) {
    this.dispatcher = dispatcher;
    this.channel = channel;
    this.connecting = connecting;
    this.outgoing = outgoing;
    this.owner = owner;
    this.event = dispatcher.registerChannel(channel, new Relay(), 0);
  }

  /** Wraps an accepted channel, taking ownership of it. Sets TCP_NODELAY. Loop-only. */
  public static NioTransport accepted(NioDispatcher dispatcher, SocketChannel channel,
      FileReadyCallback onReady) {
    return wrap(dispatcher, channel, false, false, onReady);
  }

  /** Starts a non-blocking connect to 127.0.0.1:{@code port}. Loop-only. */
  public static NioTransport connect(NioDispatcher dispatcher, int port,
      FileReadyCallback onReady) {
    SocketChannel channel;
    boolean pending;
    try {
      channel = SocketChannel.open();
    } catch (IOException e) {
      throw new UncheckedIOException("SocketChannel.open() failed: " + e.getMessage(), e);
    }
    try {
      channel.configureBlocking(false);
      pending = !channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("connect(127.0.0.1:" + port + ") failed: " + e.getMessage(),
          e);
    }
    return wrap(dispatcher, channel, true, pending, onReady);
  }

  private static NioTransport wrap(NioDispatcher dispatcher, SocketChannel channel,
      boolean outgoing, boolean connecting, FileReadyCallback onReady) {
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      return new NioTransport(dispatcher, channel, outgoing, connecting, onReady);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new UncheckedIOException("setting up " + channel + " failed: " + e.getMessage(),
          (IOException) e);
    }
  }

  /** Relays readiness to the owner, under the owner's trace label when it has one. */
  private final class Relay implements FileReadyCallback, TracedCallback {
    @Override
    public void onReady(int bits) {
      NioTransport.this.onReady(bits);
    }

    @Override
    public String traceLabel() {
      return owner instanceof TracedCallback ? ((TracedCallback) owner).traceLabel()
          : "NioTransport";
    }
  }

  private void onReady(int bits) {
    int report = bits & FileReadyType.READ;
    if ((bits & FileReadyType.WRITE) != 0) {
      if (connecting) {
        connecting = false;
        try {
          channel.finishConnect();
        } catch (IOException e) {
          connectFailure = e; // the owner's next read or write reports it
        }
      }
      writeWaiting = false;
      report |= FileReadyType.WRITE;
      updateInterest();
    }
    owner.onReady(report);
  }

  @Override
  public int read(ByteBuffer dst) {
    checkOpen("read()");
    if (connecting) {
      return 0;
    }
    if (dst.remaining() == 0) {
      return 0;
    }
    try {
      int n = channel.read(dst);
      return n < 0 ? -1 : n;
    } catch (IOException e) {
      return -1; // reset by the peer: for the reader, the end of the stream
    }
  }

  @Override
  public int write(ByteBuffer src) {
    checkOpen("write()");
    int remaining = src.remaining();
    if (connecting || remaining == 0) {
      return 0;
    }
    int n;
    try {
      n = channel.write(src);
    } catch (IOException e) {
      return -1; // broken pipe or reset: the peer has gone
    }
    if (n < remaining && !writeWaiting) {
      writeWaiting = true;
      updateInterest();
    }
    return n;
  }

  @Override
  public void watch(int fileReadyEvents) {
    checkOpen("watch()");
    FileReadyType.check(fileReadyEvents);
    watched = fileReadyEvents;
    updateInterest();
  }

  private void updateInterest() {
    int interest = 0;
    if ((watched & (FileReadyType.READ | FileReadyType.CLOSED)) != 0 && !connecting) {
      interest |= FileReadyType.READ;
    }
    if ((watched & FileReadyType.WRITE) != 0 && (connecting || writeWaiting)) {
      interest |= FileReadyType.WRITE;
    }
    event.setEnabled(interest);
  }

  @Override
  public boolean isOutgoing() {
    return outgoing;
  }

  @Override
  public void setSendBufferSize(int bytes) {
    checkOpen("setSendBufferSize()");
    try {
      channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("SO_SNDBUF on " + channel + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void shutdownOutput() {
    checkOpen("shutdownOutput()");
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      // The peer already reset: nothing left to shut.
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    checkLoopThread("close()");
    closed = true;
    try {
      event.close();
    } finally {
      closeQuietly(channel);
    }
  }

  private void checkOpen(String method) {
    checkLoopThread(method);
    if (closed) {
      throw new IllegalStateException("NioTransport." + method + " on closed " + channel);
    }
    if (connectFailure != null) {
      IOException e = connectFailure;
      connectFailure = null;
      throw new UncheckedIOException("connect to 127.0.0.1 failed: " + e.getMessage(), e);
    }
  }

  private void checkLoopThread(String method) {
    LoopOnly.check(dispatcher, "NioTransport", method);
  }

  static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Already failing or closing; nothing more to report.
    }
  }
}
