package io.kallisto.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatchers;
import io.kallisto.event.LoopThread;
import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.event.epoll.LinuxSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An echo server on one dispatcher thread and a client connection on another. */
class EchoRoundTripTest {
  private static final int PAYLOAD = 8 * 1024 * 1024;

  private static final int SO_SNDBUF = 7;

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void eightMebibytesSentInOneGoComeBackExact() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      byte[] payload = new byte[PAYLOAD];
      new Random(20261125L).nextBytes(payload);
      byte[] received = new byte[PAYLOAD];
      int[] got = {0};
      String[] clientClosed = {null};
      int[] serverPeakQueued = {0};
      CountDownLatch done = new CountDownLatch(1);

      try (LoopThread server = new LoopThread(Dispatchers.epoll("echo-server"));
          LoopThread client = new LoopThread(Dispatchers.epoll("echo-client"))) {
        ConnectionConfig bigReads = new ConnectionConfig(512 * 1024, 1024 * 1024, 512 * 1024);
        List<Connection> accepted = new ArrayList<>(); // touched on the server loop only
        ConnectionHandler echo = new ConnectionHandler() {
          private final EchoHandler delegate = new EchoHandler();

          @Override
          public void onData(Connection c, ByteBuffer data) {
            delegate.onData(c, data);
            serverPeakQueued[0] = Math.max(serverPeakQueued[0], c.bytesQueued());
          }

          @Override
          public void onClosed(Connection c, String reason) {}
        };
        // A server send buffer of 64 KiB (the kernel doubles it) against 512 KiB reads makes the
        // server's echo writes partial. (Much smaller, below two loopback segments of 64 KiB,
        // and delayed ACKs stall every round trip for milliseconds.)
        TcpListener listener = server.call(() -> TcpListener.open(server.dispatcher, 0, false,
            fd -> {
              LinuxSocket.setIntOption(fd, LinuxSocket.SOL_SOCKET, SO_SNDBUF, 64 * 1024,
                  "SO_SNDBUF");
              accepted.add(new Connection(server.dispatcher,
                  cb -> EpollTransport.accepted(server.dispatcher, fd, cb), echo, bigReads));
            }));

        ConnectionHandler collector = new ConnectionHandler() {
          @Override
          public void onData(Connection c, ByteBuffer data) {
            int n = Math.min(data.remaining(), PAYLOAD - got[0]);
            data.get(received, got[0], n);
            got[0] += n;
            if (got[0] == PAYLOAD) {
              done.countDown();
            }
          }

          @Override
          public void onClosed(Connection c, String reason) {
            clientClosed[0] = reason;
            done.countDown();
          }
        };
        // The client queues the whole payload at once, so its own backlog must not pause its
        // reads (see Connection's note on back-pressure): its high watermark is above 8 MiB.
        ConnectionConfig bulkSender = new ConnectionConfig(64 * 1024, 2 * PAYLOAD, PAYLOAD);
        int[] queuedAfterSend = {0};
        // Hold the server's loop while the client sends, so that nothing reads the other end:
        // the kernel can take only a socket buffer or two of the 8 MiB, and the rest must queue.
        CountDownLatch serverHeld = new CountDownLatch(1);
        CountDownLatch releaseServer = new CountDownLatch(1);
        server.dispatcher.post(() -> {
          serverHeld.countDown();
          awaitQuietly(releaseServer);
        });
        assertTrue(serverHeld.await(10, TimeUnit.SECONDS));
        Connection conn;
        try {
          conn = client.call(() -> {
            Connection c = new Connection(client.dispatcher,
                cb -> EpollTransport.connect(client.dispatcher, listener.port(), cb), collector,
                bulkSender);
            c.send(ByteBuffer.wrap(payload));
            queuedAfterSend[0] = c.bytesQueued();
            return c;
          });
        } finally {
          releaseServer.countDown();
        }

        assertTrue(done.await(50, TimeUnit.SECONDS), "echo did not complete");
        assertNull(clientClosed[0], "client closed early");
        assertEquals(PAYLOAD, got[0]);
        assertArrayEquals(payload, received);
        // Partial writes both ways: the client queued most of its send and finished it on WRITE
        // readiness; the server, echoing 512 KiB reads into a 128 KiB send buffer, queued too.
        // How much the kernel takes at once is bounded by the client's send buffer, which TCP's
        // autotuning may grow to tcp_wmem's maximum (tcp(7)), and by the unread server's receive
        // window, small on a new connection: allow a MiB for it. Half the payload was the bound
        // once, but with a 4 MiB maximum the kernel took 4,252,779 bytes on a loaded machine.
        long taken = Math.max(PAYLOAD - queuedAfterSend[0], 0);
        long kernelAtMost = sendBufferMax() + (1 << 20);
        assertTrue(queuedAfterSend[0] > 0 && taken <= kernelAtMost, "queuedAfterSend="
            + queuedAfterSend[0] + ", so the kernel took " + taken + " of " + PAYLOAD
            + " bytes at once, more than its send buffer's maximum and a MiB (" + kernelAtMost
            + ")");
        int serverPeak = server.call(() -> serverPeakQueued[0]);
        assertTrue(serverPeak > 0, "serverPeakQueued=" + serverPeak);

        client.run(conn::close);
        server.run(() -> {
          accepted.forEach(Connection::close);
          listener.close();
        });
      }
    });
  }

  /** The largest send buffer TCP autotuning may give a socket: tcp_wmem's third field. */
  private static long sendBufferMax() throws java.io.IOException {
    // Read as a stream: Files.readString trusts the size /proc reports, and returned one byte.
    try (java.io.InputStream in = new java.io.FileInputStream("/proc/sys/net/ipv4/tcp_wmem")) {
      String[] f = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
          .trim().split("\\s+");
      return Long.parseLong(f[2]);
    }
  }
}
