package io.kallisto.event;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static io.kallisto.event.FileReadyType.CLOSED;
import static io.kallisto.event.FileReadyType.READ;
import static io.kallisto.event.FileReadyType.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import io.kallisto.event.epoll.Errno;
import io.kallisto.event.epoll.LinuxNative;
import io.kallisto.event.epoll.LinuxSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** File events on real pipes and AF_UNIX socket pairs. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class FileEventTest {
  @Parameter Backend backend;

  @org.junit.jupiter.api.BeforeEach
  void onlyBackendsThatWatchFds() {
    assumeTrue(backend.watchesFds(), "java.nio's Selector watches channels, not raw fds;"
        + " NioChannelEventTest holds the same behaviours for registerChannel()");
    d = backend.create("files");
  }

  private static final Duration LIMIT = Duration.ofSeconds(20);
  private final Memory buffer = new Memory(4096);
  private final long address = com.sun.jna.Pointer.nativeValue(buffer);
  private final List<Integer> openFds = new ArrayList<>();
  private Dispatcher d; // created per test, once the backend is known
  private final List<Integer> seen = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    if (d != null) {
      d.close();
    }
    for (int fd : openFds) {
      try {
        LinuxNative.close(fd, "test");
      } catch (RuntimeException alreadyClosed) {
        // some tests close one end themselves
      }
    }
  }

  private int[] pipe() {
    int[] fds = LinuxNative.pipe();
    openFds.add(fds[0]);
    openFds.add(fds[1]);
    return fds;
  }

  private int[] socketPair() {
    int[] fds = LinuxSocket.socketPair();
    openFds.add(fds[0]);
    openFds.add(fds[1]);
    return fds;
  }

  private void writeBytes(int fd, int n) {
    assertEquals(n, LinuxNative.write(fd, address, n, "test"));
  }

  private long drain(int fd) {
    long total = 0;
    long n;
    while ((n = LinuxNative.readNoThrow(fd, address, buffer.size())) > 0) {
      total += n;
    }
    return total;
  }

  @Test
  void levelTriggeredReadReportsEveryIterationUntilDrained() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      d.createFileEvent(p[0], seen::add, FileTriggerType.LEVEL, READ);
      writeBytes(p[1], 3);
      d.run(RunType.NON_BLOCK);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ, READ), seen, "still readable: reported again");
      assertEquals(3, drain(p[0]));
      d.run(RunType.NON_BLOCK);
      assertEquals(2, seen.size(), "drained: no more reports");
    });
  }

  @Test
  void edgeTriggeredReadReportsOncePerNewData() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      d.createFileEvent(p[0], seen::add, FileTriggerType.EDGE, READ);
      writeBytes(p[1], 3);
      d.run(RunType.NON_BLOCK);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ), seen, "one edge, one report, though data remains");
      writeBytes(p[1], 1);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ, READ), seen, "new data is a new edge");
    });
  }

  @Test
  void writableSocketReportsWrite() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] s = socketPair();
      d.createFileEvent(s[0], seen::add, FileTriggerType.LEVEL, WRITE);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(WRITE), seen);
    });
  }

  @Test
  void fullPipeIsNotWritableUntilTheReaderDrainsIt() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      while (LinuxNative.writeNoThrow(p[1], address, buffer.size()) > 0) {
        // fill the pipe until write would block
      }
      assertEquals(Errno.EAGAIN, LinuxNative.errno());
      d.createFileEvent(p[1], seen::add, FileTriggerType.EDGE, WRITE);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(), seen);
      drain(p[0]);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(WRITE), seen);
    });
  }

  @Test
  void peerShutdownOfASocketReportsClosed() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] s = socketPair();
      d.createFileEvent(s[0], seen::add, FileTriggerType.EDGE, READ | CLOSED);
      LinuxSocket.shutdown(s[1], LinuxSocket.SHUT_WR, "test");
      d.run(RunType.NON_BLOCK);
      assertEquals(1, seen.size());
      assertEquals(READ | CLOSED, seen.get(0) & (READ | CLOSED));
    });
  }

  @Test
  void closedWriteEndOfAPipeReportsReadAndClosed() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      d.createFileEvent(p[0], seen::add, FileTriggerType.LEVEL, READ | CLOSED);
      LinuxNative.close(p[1], "test");
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ | CLOSED), seen);
    });
  }

  @Test
  void reportsAreLimitedToTheEnabledEventsAndSetEnabledChangesThem() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] s = socketPair();
      writeBytes(s[1], 1); // s[0] is now readable and writable
      FileEvent fe = d.createFileEvent(s[0], seen::add, FileTriggerType.LEVEL, WRITE);
      d.run(RunType.NON_BLOCK);
      fe.setEnabled(READ);
      d.run(RunType.NON_BLOCK);
      fe.setEnabled(READ | WRITE);
      d.run(RunType.NON_BLOCK);
      fe.setEnabled(0);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(WRITE, READ, READ | WRITE), seen);
    });
  }

  @Test
  void activateRunsTheCallbackOnTheNextIterationWithoutReadiness() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      FileEvent[] self = new FileEvent[1];
      self[0] = d.createFileEvent(p[0], events -> {
        seen.add(events);
        if (seen.size() == 1) {
          self[0].activate(WRITE); // deferred work resumes next iteration
        }
      }, FileTriggerType.LEVEL, READ);
      self[0].activate(READ);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ), seen, "nothing was readable; the activation delivered READ");
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ, WRITE), seen);
      d.run(RunType.NON_BLOCK);
      assertEquals(2, seen.size());
    });
  }

  @Test
  void activationAndKernelReadinessInOneIterationRunTheCallbackOnce() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      FileEvent fe = d.createFileEvent(p[0], seen::add, FileTriggerType.EDGE, READ);
      writeBytes(p[1], 1);
      fe.activate(WRITE);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(READ | WRITE), seen);
    });
  }

  @Test
  void closedFileEventStopsReportingAndLeavesTheFdOpen() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      FileEvent fe = d.createFileEvent(p[0], seen::add, FileTriggerType.LEVEL, READ);
      fe.close();
      fe.close(); // idempotent
      writeBytes(p[1], 1);
      d.run(RunType.NON_BLOCK);
      assertEquals(List.of(), seen);
      assertEquals(1, drain(p[0]), "the fd is still the caller's, and open");
      assertThrows(IllegalStateException.class, () -> fe.setEnabled(READ));
      d.createFileEvent(p[0], seen::add, FileTriggerType.LEVEL, READ); // may watch it again
    });
  }

  @Test
  void watchingTheSameFdTwiceIsRejected() {
    int[] p = pipe();
    d.createFileEvent(p[0], seen::add, FileTriggerType.LEVEL, READ);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> d.createFileEvent(p[0], seen::add, FileTriggerType.LEVEL, READ));
    assertTrue(e.getMessage().contains("already watches fd=" + p[0]), e.getMessage());
  }

  @Test
  void invalidEventBitsAreRejectedWithTheValue() {
    int[] p = pipe();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.createFileEvent(p[0], seen::add, FileTriggerType.LEVEL, 0x10));
    assertTrue(e.getMessage().contains("events=0x10"), e.getMessage());
  }

  @Test
  void blockRunWaitsForAnEnabledFileEventAndReturnsWhenItIsDisabled() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      FileEvent[] self = new FileEvent[1];
      self[0] = d.createFileEvent(p[0], events -> {
        seen.add(events);
        drain(p[0]);
        self[0].setEnabled(0); // nothing left to wait for: BLOCK returns
      }, FileTriggerType.LEVEL, READ);
      Thread writer = new Thread(() -> writeBytes(p[1], 1));
      writer.start(); // the loop may already be asleep in epoll_wait when this lands
      d.run(RunType.BLOCK);
      writer.join();
      assertEquals(List.of(READ), seen);
    });
  }

  @Test
  void manyReadyFdsInOneWaitAreAllReported() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int n = 300; // more than the initial event array, which must grow
      int[] count = {0};
      for (int i = 0; i < n; i++) {
        int[] p = pipe();
        d.createFileEvent(p[0], events -> count[0]++, FileTriggerType.EDGE, READ);
        writeBytes(p[1], 1);
      }
      for (int i = 0; i < 4 && count[0] < n; i++) {
        d.run(RunType.NON_BLOCK);
      }
      assertEquals(n, count[0]);
      assertEquals(n, d.stats().fileEventsFired());
    });
  }

  @Test
  void throwingFileCallbackIsCountedAndTheLoopKeepsRunning() {
    assertTimeoutPreemptively(LIMIT, () -> {
      int[] p = pipe();
      d.createFileEvent(p[0], events -> {
        throw new IllegalStateException("bad handler");
      }, FileTriggerType.EDGE, READ);
      writeBytes(p[1], 1);
      boolean[] after = {false};
      d.post(() -> after[0] = true);
      d.run(RunType.NON_BLOCK);
      assertTrue(after[0]);
      assertEquals(1, d.stats().callbackErrors());
    });
  }
}
