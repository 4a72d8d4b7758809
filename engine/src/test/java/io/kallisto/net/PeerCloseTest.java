package io.kallisto.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.LoopThread;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How connections end: by the peer, locally, after a flush; and that ending leaks no fds. */
class PeerCloseTest {
  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** Records accepted connections and close reasons; the queues are read by the test thread. */
  private static final class Recorder implements ConnectionHandler {
    final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    final Semaphore closed = new Semaphore(0);
    final List<Connection> accepted = new ArrayList<>(); // server loop only

    @Override
    public void onData(Connection c, ByteBuffer data) {
      data.position(data.limit());
    }

    @Override
    public void onClosed(Connection c, String reason) {
      closes.add(reason);
      closed.release();
    }

    Acceptor acceptor(LoopThread loop) {
      return fd -> accepted.add(new Connection(loop.dispatcher,
          cb -> EpollTransport.accepted(loop.dispatcher, fd, cb), this));
    }
  }

  private static Socket connect(int port) throws Exception {
    Socket s = new Socket();
    s.setSoTimeout(10_000);
    s.connect(new InetSocketAddress("127.0.0.1", port));
    return s;
  }

  @Test
  void thePeerClosingIsReportedWithAReasonAndClosingTwiceIsHarmless() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Recorder r = new Recorder();
      try (LoopThread loop = new LoopThread(Dispatchers.epoll("peer-close"))) {
        TcpListener listener = loop.call(() -> TcpListener.open(loop.dispatcher, 0, false,
            r.acceptor(loop)));
        try (Socket s = connect(listener.port())) {
          s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("peer closed", r.closes.poll(10, TimeUnit.SECONDS));
        loop.run(() -> {
          Connection c = r.accepted.get(0);
          assertTrue(c.isClosed());
          c.close();
          c.close();
          c.closeAfterFlush();
          listener.close();
          listener.close();
        });
        assertEquals(0, r.closes.size(), "onClosed ran again: " + r.closes);
      }
    });
  }

  @Test
  void closingLocallyTwiceReportsOnceAndThePeerSeesEndOfStream() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Recorder r = new Recorder();
      try (LoopThread loop = new LoopThread(Dispatchers.epoll("local-close"))) {
        TcpListener listener = loop.call(() -> TcpListener.open(loop.dispatcher, 0, false,
            r.acceptor(loop)));
        try (Socket s = connect(listener.port())) {
          // The connection exists once a byte has round-tripped through the server's loop.
          s.getOutputStream().write(1);
          for (int i = 0; i < 1000 && loop.call(() -> r.accepted.size()) == 0; i++) {
            loop.run(() -> { }); // one loop iteration per try: lets the accept happen
          }
          loop.run(() -> {
            r.accepted.get(0).close();
            r.accepted.get(0).close();
            listener.close();
          });
          assertEquals(-1, s.getInputStream().read());
        }
        assertEquals("closed locally", r.closes.poll(10, TimeUnit.SECONDS));
        assertEquals(0, r.closes.size(), "onClosed ran again: " + r.closes);
      }
    });
  }

  @Test
  void closeAfterFlushDeliversEveryQueuedByteThenEndOfStream() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      byte[] reply = new byte[4 * 1024 * 1024];
      for (int i = 0; i < reply.length; i++) {
        reply[i] = (byte) (i * 31);
      }
      Recorder r = new Recorder();
      ConnectionHandler replier = new ConnectionHandler() {
        @Override
        public void onData(Connection c, ByteBuffer data) {
          data.position(data.limit());
          c.send(ByteBuffer.wrap(reply));
          c.closeAfterFlush();
        }

        @Override
        public void onClosed(Connection c, String reason) {
          r.onClosed(c, reason);
        }
      };
      try (LoopThread loop = new LoopThread(Dispatchers.epoll("flush-close"))) {
        TcpListener listener = loop.call(() -> TcpListener.open(loop.dispatcher, 0, false,
            fd -> new Connection(loop.dispatcher,
                cb -> EpollTransport.accepted(loop.dispatcher, fd, cb), replier)));
        try (Socket s = connect(listener.port()); InputStream in = s.getInputStream()) {
          s.getOutputStream().write(1);
          assertArrayEquals(reply, in.readNBytes(reply.length));
          assertEquals(-1, in.read());
        }
        assertEquals("closed after flush", r.closes.poll(10, TimeUnit.SECONDS));
        loop.run(listener::close);
      }
    });
  }

  @Test
  void aThousandConnectAcceptCloseCyclesLeaveTheOpenFdCountUnchanged() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Recorder r = new Recorder();
      try (LoopThread loop = new LoopThread(Dispatchers.epoll("fd-leak"))) {
        TcpListener listener = loop.call(() -> TcpListener.open(loop.dispatcher, 0, false,
            r.acceptor(loop)));
        connect(listener.port()).close(); // warm up: the JDK's socket classes load once
        assertTrue(r.closed.tryAcquire(10, TimeUnit.SECONDS));
        int before = openFds();
        for (int i = 0; i < 1000; i++) {
          connect(listener.port()).close();
          assertTrue(r.closed.tryAcquire(10, TimeUnit.SECONDS), "cycle " + i + " never closed");
        }
        // At most, not exactly: other JVM threads may close fds of their own meanwhile, but a
        // leak of even one fd per cycle would add a thousand.
        int after = openFds();
        assertTrue(after <= before, "before=" + before + " after=" + after);
        assertEquals(1001, loop.call(() -> r.accepted.size()));
        loop.run(listener::close);
      }
    });
  }
}
