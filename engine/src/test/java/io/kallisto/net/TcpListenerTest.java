package io.kallisto.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kallisto.event.Dispatchers;
import io.kallisto.event.LoopThread;
import io.kallisto.event.NativeException;
import io.kallisto.event.epoll.LinuxNative;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TcpListenerTest {
  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** Closes each accepted fd and counts it. */
  private static Acceptor counting(AtomicInteger count, CountDownLatch first) {
    return fd -> {
      LinuxNative.close(fd, "test");
      count.incrementAndGet();
      first.countDown();
    };
  }

  @Test
  void twoDispatchersWithReusePortListenersOnOnePortBothAccept() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      AtomicInteger countA = new AtomicInteger();
      AtomicInteger countB = new AtomicInteger();
      CountDownLatch firstA = new CountDownLatch(1);
      CountDownLatch firstB = new CountDownLatch(1);
      try (LoopThread a = new LoopThread(Dispatchers.epoll("reuse-a"));
          LoopThread b = new LoopThread(Dispatchers.epoll("reuse-b"))) {
        TcpListener la = a.call(() -> TcpListener.open(a.dispatcher, 0, true,
            counting(countA, firstA)));
        TcpListener lb = b.call(() -> TcpListener.open(b.dispatcher, la.port(), true,
            counting(countB, firstB)));
        assertEquals(la.port(), lb.port());
        // The kernel picks a listener by a hash of each connection's addresses, and every new
        // connection has a new ephemeral source port: 200 connections all hashing to one of two
        // listeners has probability 2^-199. Connections are closed at once, but a connection
        // that completed its handshake is accepted even if the client already closed it.
        int attempts = 0;
        while (attempts < 200 && (firstA.getCount() > 0 || firstB.getCount() > 0)) {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", la.port()), 10_000);
          }
          attempts++;
        }
        assertTrue(firstA.await(10, TimeUnit.SECONDS), "listener A accepted none");
        assertTrue(firstB.await(10, TimeUnit.SECONDS), "listener B accepted none");
        a.run(la::close);
        b.run(lb::close);
      }
    });
  }

  @Test
  void aPortInUseWithoutReusePortFailsNamingBindTheAddressAndEaddrinuse() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try (LoopThread loop = new LoopThread(Dispatchers.epoll("in-use"))) {
        TcpListener first = loop.call(() -> TcpListener.open(loop.dispatcher, 0, false,
            fd -> LinuxNative.close(fd, "test")));
        int before = openFds();
        NativeException e = assertThrows(NativeException.class, () -> loop.call(
            () -> TcpListener.open(loop.dispatcher, first.port(), false,
                fd -> LinuxNative.close(fd, "test"))));
        String message = e.getMessage();
        assertTrue(message.startsWith("bind(") && message.contains(
            "127.0.0.1:" + first.port() + ") failed: errno 98 (EADDRINUSE)"), message);
        assertFalse(message.contains("\n"), message);
        // The failed listener's socket was closed (at most, not exactly: other JVM threads may
        // close fds of their own meanwhile).
        int after = openFds();
        assertTrue(after <= before, "before=" + before + " after=" + after);
        loop.run(first::close);
      }
    });
  }

  @Test
  void closingAListenerFreesItsPortAndClosingItTwiceIsHarmless() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try (LoopThread loop = new LoopThread(Dispatchers.epoll("ephemeral"))) {
        TcpListener l = loop.call(() -> TcpListener.open(loop.dispatcher, 0, false,
            fd -> LinuxNative.close(fd, "test")));
        assertTrue(l.port() > 0 && l.port() <= 65535, "port=" + l.port());
        loop.run(() -> {
          l.close();
          l.close();
        });
        // Binding the port again without SO_REUSEPORT works only if the old socket is closed.
        // (Counting /proc/self/fd is not used here: other threads of the JVM open and close fds
        // of their own, so a one-fd difference is not reliable; the 1,000-cycle test is.)
        TcpListener again = loop.call(() -> TcpListener.open(loop.dispatcher, l.port(), false,
            fd -> LinuxNative.close(fd, "test")));
        assertEquals(l.port(), again.port());
        loop.run(again::close);
      }
    });
  }
}
