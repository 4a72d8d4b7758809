package io.kallisto.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kallisto.event.Dispatcher;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.FileReadyCallback;
import io.kallisto.event.FileReadyType;
import io.kallisto.event.RunType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a connection stops reading: a read that does not fill the buffer means the socket is
 * drained, so no read follows just to see {@code EAGAIN}; once the peer's close was reported,
 * reads go on to the end of the stream. Driven through a scripted {@link Transport}, and once
 * over real TCP, on a dispatcher that is not running: the test thread may call loop-only
 * methods, and runs loop iterations itself.
 */
class ShortReadTest {
  private static final int BUFFER = 64;
  private static final ConnectionConfig SMALL_READS = new ConnectionConfig(BUFFER, 1024, 512);

  private Dispatcher dispatcher;
  private final ScriptedTransport transport = new ScriptedTransport();
  private final List<String> seen = new ArrayList<>(); // "data N" and "closed REASON", in order

  @BeforeEach
  void open() {
    dispatcher = Dispatchers.epoll("short-read");
  }

  @AfterEach
  void closeDispatcher() {
    dispatcher.close();
  }

  private Connection connect() {
    return new Connection(dispatcher, cb -> {
      transport.callback = cb;
      return transport;
    }, recorder(), SMALL_READS);
  }

  @Test
  void aReadThatLeavesTheBufferPartlyEmptyIsTheLastReadOfTheWakeup() {
    Connection c = connect();
    transport.script(10);
    transport.callback.onReady(FileReadyType.READ);
    // Expected: one read of 10 bytes, delivered; no second read to find EAGAIN.
    assertEquals(List.of("data 10"), seen);
    assertEquals(1, transport.reads);
    c.close();
  }

  @Test
  void aReadThatFillsTheBufferIsFollowedByAnother() {
    Connection c = connect();
    transport.script(BUFFER, 5);
    transport.callback.onReady(FileReadyType.READ);
    // Expected: the full read may have left bytes behind, so a second read; it is short: stop.
    assertEquals(List.of("data " + BUFFER, "data 5"), seen);
    assertEquals(2, transport.reads);
    c.close();
  }

  @Test
  void afterThePeerCloseIsReportedAShortReadIsFollowedByTheReadOfEndOfStream() {
    connect();
    transport.script(10, ScriptedTransport.EOF);
    transport.callback.onReady(FileReadyType.READ | FileReadyType.CLOSED);
    // Expected: the bytes sent before the close, then end of stream closes the connection.
    assertEquals(List.of("data 10", "closed peer closed"), seen);
    assertEquals(2, transport.reads);
  }

  @Test
  void aPeerCloseReportedBeforeTheReadBudgetRanOutIsStillReadToEndOfStreamLater() {
    connect();
    int[] script = new int[Connection.MAX_READS_PER_WAKEUP + 2];
    Arrays.fill(script, BUFFER);
    script[Connection.MAX_READS_PER_WAKEUP] = 10;
    script[Connection.MAX_READS_PER_WAKEUP + 1] = ScriptedTransport.EOF;
    transport.script(script);
    transport.callback.onReady(FileReadyType.READ | FileReadyType.CLOSED);
    // Expected: the wakeup's budget of full reads, then a posted read-again (READ only, as the
    // CLOSED edge will not come back) that must not stop at its short read.
    assertEquals(Connection.MAX_READS_PER_WAKEUP, transport.reads);
    dispatcher.run(RunType.NON_BLOCK);
    assertEquals(Connection.MAX_READS_PER_WAKEUP + 2, transport.reads);
    assertEquals("closed peer closed", seen.get(seen.size() - 1));
    assertEquals("data 10", seen.get(seen.size() - 2));
  }

  @Test
  void overTcpEachSmallMessageCostsOneReadAndTheNextMessageStillWakesTheLoop() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      CountingTransport[] counted = new CountingTransport[1];
      List<Connection> accepted = new ArrayList<>();
      TcpListener listener = TcpListener.open(dispatcher, 0, false, fd -> accepted.add(
          new Connection(dispatcher, cb -> counted[0] =
              new CountingTransport(EpollTransport.accepted(dispatcher, fd, cb)),
              recorder(), SMALL_READS)));
      try (Socket peer = new Socket()) {
        peer.setTcpNoDelay(true);
        peer.connect(new InetSocketAddress("127.0.0.1", listener.port()), 10_000);
        runUntil(() -> !accepted.isEmpty(), "accept");
        int messages = 200;
        for (int i = 0; i < messages; i++) {
          peer.getOutputStream().write(new byte[16]);
          int want = i + 1;
          // The loop polls without blocking until the message arrives: it can only see it
          // through a new edge, since the previous read stopped short of EAGAIN.
          runUntil(() -> seen.size() == want, "message " + want);
        }
        // Expected: each message read once, in full; not one read that found nothing.
        assertEquals(messages, counted[0].reads);
        assertEquals(0, counted[0].empty);
        assertEquals(Collections.nCopies(messages, "data 16"), seen);
      }
      runUntil(() -> accepted.get(0).isClosed(), "end of stream");
      assertEquals("closed peer closed", seen.get(seen.size() - 1));
      listener.close();
    });
  }

  private ConnectionHandler recorder() {
    return new ConnectionHandler() {
      @Override
      public void onData(Connection c, ByteBuffer data) {
        seen.add("data " + data.remaining());
        data.position(data.limit());
      }

      @Override
      public void onClosed(Connection c, String reason) {
        seen.add("closed " + reason);
      }
    };
  }

  /** Runs non-blocking loop iterations until {@code done}, for at most 10 s. */
  private void runUntil(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not seen within 10 s; seen=" + seen);
      }
      dispatcher.run(RunType.NON_BLOCK);
    }
  }

  /** Counts a real transport's reads, and those that returned nothing (EAGAIN). */
  private static final class CountingTransport implements Transport {
    private final Transport delegate;
    int reads;
    int empty;

    CountingTransport(Transport delegate) {
      this.delegate = delegate;
    }

    @Override
    public int read(ByteBuffer dst) {
      reads++;
      int n = delegate.read(dst);
      if (n == 0) {
        empty++;
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      return delegate.write(src);
    }

    @Override
    public void watch(int fileReadyEvents) {
      delegate.watch(fileReadyEvents);
    }

    @Override
    public void shutdownOutput() {
      delegate.shutdownOutput();
    }

    @Override
    public void setSendBufferSize(int bytes) {
      delegate.setSendBufferSize(bytes);
    }

    @Override
    public boolean isOutgoing() {
      return delegate.isOutgoing();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** Returns scripted read sizes; {@link #EOF} for end of stream, and 0 (EAGAIN) when done. */
  private static final class ScriptedTransport implements Transport {
    static final int EOF = -1;
    final ArrayDeque<Integer> script = new ArrayDeque<>();
    FileReadyCallback callback;
    int reads;

    void script(int... sizes) {
      for (int s : sizes) {
        script.add(s);
      }
    }

    @Override
    public int read(ByteBuffer dst) {
      reads++;
      Integer n = script.poll();
      if (n == null) {
        return 0;
      }
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      return n;
    }

    @Override
    public void watch(int fileReadyEvents) {}

    @Override
    public void shutdownOutput() {}

    @Override
    public void setSendBufferSize(int bytes) {}

    @Override
    public boolean isOutgoing() {
      return false;
    }

    @Override
    public void close() {}
  }
}
