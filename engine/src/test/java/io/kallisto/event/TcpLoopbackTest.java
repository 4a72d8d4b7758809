package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.event.epoll.LinuxSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real TCP on 127.0.0.1 driven by file events: a listener accepts, the server echoes, the client
 * connects without blocking. The socket calls are the ones the network layer builds on.
 */
class TcpLoopbackTest {
  // Raw fds and SO_ERROR: an epoll test by nature, whatever -Dkallisto.backend says.
  private final Dispatcher d = Dispatchers.epoll("tcp");
  private final List<Integer> fds = new ArrayList<>();
  private final Memory buffer = new Memory(64 * 1024);
  private final long address = Pointer.nativeValue(buffer);

  @AfterEach
  void closeAll() {
    d.close();
    for (int fd : fds) {
      LinuxNative.close(fd, "test");
    }
  }

  private int track(int fd) {
    fds.add(fd);
    return fd;
  }

  private int listener() {
    int fd = track(LinuxSocket.tcpSocket());
    LinuxSocket.setIntOption(fd, LinuxSocket.SOL_SOCKET, LinuxSocket.SO_REUSEADDR, 1,
        "SO_REUSEADDR");
    LinuxSocket.bind(fd, LinuxSocket.LOOPBACK, 0);
    LinuxSocket.listen(fd, 128, "test listener");
    return fd;
  }

  @Test
  void listenerOnAnEphemeralLoopbackPortReportsItsPort() {
    int port = LinuxSocket.localPort(listener());
    assertTrue(port > 0 && port <= 65535, "port=" + port);
  }

  @Test
  void nonBlockingConnectAcceptAndEchoOverLoopback() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      int listen = listener();
      int port = LinuxSocket.localPort(listen);
      StringBuilder echoed = new StringBuilder();
      byte[] message = "hello, event loop".getBytes(StandardCharsets.US_ASCII);

      // Server: accept, then echo whatever arrives (level-triggered; small messages).
      d.createFileEvent(listen, events -> {
        int c;
        while ((c = LinuxSocket.accept(listen)) >= 0) {
          int conn = track(c);
          d.createFileEvent(conn, ev -> {
            long n = LinuxNative.readNoThrow(conn, address, 4096);
            if (n > 0) {
              LinuxNative.write(conn, address, n, "echo");
            }
          }, FileTriggerType.LEVEL, FileReadyType.READ);
        }
      }, FileTriggerType.LEVEL, FileReadyType.READ);

      // Client: connect without blocking; once writable, check SO_ERROR and send.
      int client = track(LinuxSocket.tcpSocket());
      LinuxSocket.setIntOption(client, LinuxSocket.IPPROTO_TCP, LinuxSocket.TCP_NODELAY, 1,
          "TCP_NODELAY");
      LinuxSocket.connect(client, LinuxSocket.LOOPBACK, port);
      Memory out = new Memory(message.length);
      out.write(0, message, 0, message.length);
      Memory in = new Memory(4096);
      FileEvent[] clientEvent = new FileEvent[1];
      clientEvent[0] = d.createFileEvent(client, events -> {
        if ((events & FileReadyType.WRITE) != 0) {
          assertEquals(0, LinuxSocket.socketError(client));
          LinuxNative.write(client, Pointer.nativeValue(out), message.length, "client");
          clientEvent[0].setEnabled(FileReadyType.READ);
          return;
        }
        long n = LinuxNative.readNoThrow(client, Pointer.nativeValue(in), 4096);
        if (n > 0) {
          echoed.append(new String(in.getByteArray(0, (int) n), StandardCharsets.US_ASCII));
          if (echoed.length() >= message.length) {
            d.exit();
          }
        }
      }, FileTriggerType.LEVEL, FileReadyType.WRITE);

      d.run(RunType.RUN_UNTIL_EXIT);
      assertEquals("hello, event loop", echoed.toString());
    });
  }

  @Test
  void connectingToAClosedPortReportsTheErrorThroughSoError() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      int probe = listener();
      int port = LinuxSocket.localPort(probe);
      fds.remove(Integer.valueOf(probe));
      LinuxNative.close(probe, "probe"); // nothing listens on this port now
      int client = track(LinuxSocket.tcpSocket());
      int[] error = {-1};
      try {
        assertTrue(!LinuxSocket.connect(client, LinuxSocket.LOOPBACK, port), "cannot succeed");
        // In progress: the refusal arrives as writability with SO_ERROR set.
        d.createFileEvent(client, events -> {
          error[0] = LinuxSocket.socketError(client);
          d.exit();
        }, FileTriggerType.EDGE, FileReadyType.WRITE);
        d.run(RunType.RUN_UNTIL_EXIT);
      } catch (NativeException refusedAtOnce) {
        error[0] = refusedAtOnce.errno();
      }
      assertEquals(111, error[0], "ECONNREFUSED");
    });
  }

  @Test
  void bindingTheSamePortTwiceNamesTheCallAndAddress() {
    int port = LinuxSocket.localPort(listener());
    int second = track(LinuxSocket.tcpSocket());
    NativeException e = assertThrows(NativeException.class,
        () -> LinuxSocket.bind(second, LinuxSocket.LOOPBACK, port));
    assertTrue(e.getMessage().startsWith("bind(fd=" + second + ", 127.0.0.1:" + port
        + ") failed: errno 98 (EADDRINUSE)"), e.getMessage());
  }
}
