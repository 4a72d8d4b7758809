package io.kallisto.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import io.kallisto.event.Dispatchers;
import io.kallisto.event.LoopThread;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An echo server whose client does not read stops reading, and resumes once the client does. */
class BackPressureTest {
  private static final ConnectionConfig SMALL = new ConnectionConfig(16 * 1024, 256 * 1024,
      64 * 1024);
  // Far more than every kernel buffer on the path plus the high watermark, so the writer cannot
  // finish unless the server reads without bound.
  private static final int PAYLOAD = 32 * 1024 * 1024;

  @Test
  void aClientThatDoesNotReadPausesTheServersReadsUntilItDrains() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      byte[] payload = new byte[PAYLOAD];
      new Random(7L).nextBytes(payload);
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch resumed = new CountDownLatch(1);
      CountDownLatch writerDone = new CountDownLatch(1);
      Connection[] server = {null};
      int[] peakQueued = {0};
      IOException[] writeFailure = {null};

      ConnectionHandler echo = new ConnectionHandler() {
        @Override
        public void onData(Connection c, ByteBuffer data) {
          c.send(data);
          peakQueued[0] = Math.max(peakQueued[0], c.bytesQueued());
        }

        @Override
        public void onClosed(Connection c, String reason) {}

        @Override
        public void onAboveHighWatermark(Connection c) {
          paused.countDown();
        }

        @Override
        public void onBelowLowWatermark(Connection c) {
          resumed.countDown();
        }
      };

      try (LoopThread loop = new LoopThread(Dispatchers.epoll("backpressure"));
          Socket client = new Socket()) {
        TcpListener listener = loop.call(() -> TcpListener.open(loop.dispatcher, 0, false,
            fd -> server[0] = new Connection(loop.dispatcher,
                cb -> EpollTransport.accepted(loop.dispatcher, fd, cb), echo, SMALL)));
        client.setReceiveBufferSize(64 * 1024);
        client.setSendBufferSize(64 * 1024);
        client.setSoTimeout(30_000);
        client.connect(new InetSocketAddress("127.0.0.1", listener.port()));

        Thread writer = new Thread(() -> {
          try {
            client.getOutputStream().write(payload);
          } catch (IOException e) {
            writeFailure[0] = e;
          }
          writerDone.countDown();
        }, "backpressure-writer");
        writer.start();

        assertTrue(paused.await(30, TimeUnit.SECONDS), "server never paused reading");
        // The client has read nothing, so the server cannot have taken the whole payload.
        assertEquals(1, writerDone.getCount(), "the writer finished: the server read unbounded");
        assertTrue(loop.call(() -> server[0].pauseCount()) >= 1);

        byte[] echoed;
        try (InputStream in = client.getInputStream()) {
          echoed = in.readNBytes(PAYLOAD);
          assertTrue(resumed.await(30, TimeUnit.SECONDS), "server never resumed reading");
          assertTrue(writerDone.await(30, TimeUnit.SECONDS), "writer did not finish");
          writer.join(10_000);
          assertNull(writeFailure[0]);
          assertArrayEquals(payload, echoed);

          // Reads stop as soon as the backlog passes the high watermark, and one read adds at
          // most a read buffer: that bounds what a non-reading peer can make the server hold.
          int peak = loop.call(() -> peakQueued[0]);
          assertTrue(peak > SMALL.highWatermarkBytes(), "peak=" + peak + ": never went above");
          assertTrue(peak <= SMALL.highWatermarkBytes() + SMALL.readBufferBytes(),
              "peak=" + peak + " exceeds high watermark + one read buffer");
          assertEquals(false, loop.call(() -> server[0].readingPaused()));
        }
        loop.run(() -> {
          server[0].close();
          listener.close();
        });
      }
    });
  }
}
