package io.kallisto.event.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kallisto.event.NativeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Native memory, the epoll event array and the errno helper, over real system calls. */
class NativeMemoryTest {
  @BeforeEach
  void onLinux() {
    assumeTrue(LinuxNative.isAvailable(), "the native types need Linux and libc through JNA");
  }

  @Test
  void allocatedMemoryIsZeroedAndReadsBackWhatWasWritten() {
    try (NativeMemory m = NativeMemory.allocate(32, "test")) {
      for (int i = 0; i < 32; i++) {
        assertEquals(0, m.buffer().get(i), "byte " + i);
      }
      m.buffer().putLong(8, 0x0102030405060708L);
      assertEquals(0x0102030405060708L, m.buffer().getLong(8));
      assertEquals(32, m.size());
      assertTrue(m.address() != 0);
    }
  }

  @Test
  void closedMemoryRefusesUseAndClosesTwiceQuietly() {
    NativeMemory m = NativeMemory.allocate(8, "test");
    m.close();
    m.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, m::address);
    assertEquals("native memory of 8 bytes is freed", e.getMessage());
  }

  @Test
  void aHeapBufferHasNoNativeAddress() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeMemory.addressOf(ByteBuffer.allocate(8)));
    assertTrue(e.getMessage().contains("heap buffer"), e.getMessage());
  }

  @Test
  void aWriteThroughADirectBuffersAddressArrivesOnThePipe() {
    ByteBuffer out = ByteBuffer.allocateDirect(4).put(0, (byte) 42);
    ByteBuffer in = ByteBuffer.allocateDirect(4);
    int[] pipe = LinuxNative.pipe();
    try {
      assertEquals(1, LinuxNative.write(pipe[1], NativeMemory.addressOf(out), 1, "test"));
      assertEquals(1, LinuxNative.read(pipe[0], NativeMemory.addressOf(in), 4, "test"));
      assertEquals(42, in.get(0));
    } finally {
      LinuxNative.close(pipe[0], "test");
      LinuxNative.close(pipe[1], "test");
    }
  }

  @Test
  void theEventArrayReadsEachReadyFdAndGrowsByDoubling() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      int epfd = LinuxNative.epollCreate();
      int[][] pipes = new int[3][];
      try (EpollEventArray events = new EpollEventArray(2);
          NativeMemory scratch = NativeMemory.allocate(LinuxNative.SCRATCH_SIZE, "test");
          NativeMemory one = NativeMemory.allocate(1, "test")) {
        Set<Integer> readable = new HashSet<>();
        for (int i = 0; i < pipes.length; i++) {
          pipes[i] = LinuxNative.pipe();
          LinuxNative.epollCtl(epfd, LinuxNative.EPOLL_CTL_ADD, pipes[i][0], LinuxNative.EPOLLIN,
              scratch);
          LinuxNative.write(pipes[i][1], one.address(), 1, "test");
          readable.add(pipes[i][0]);
        }
        // Three ready fds, room for two: the array fills, as the dispatcher's signal to grow.
        assertEquals(2, LinuxNative.epollWait(epfd, events, 0));
        events.grow();
        assertEquals(4, events.length());
        int n = LinuxNative.epollWait(epfd, events, 0);
        assertEquals(3, n, "level-triggered: every pipe is still readable");
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
          seen.add(events.fd(i));
          assertEquals(LinuxNative.EPOLLIN, events.events(i));
        }
        assertEquals(readable, seen);
      } finally {
        for (int[] p : pipes) {
          if (p != null) {
            LinuxNative.close(p[0], "test");
            LinuxNative.close(p[1], "test");
          }
        }
        LinuxNative.close(epfd, "test");
      }
    });
  }

  @Test
  void aTimerfdArmedAtAnAbsoluteDeadlineExpiresOnce() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      int epfd = LinuxNative.epollCreate();
      int tfd = LinuxNative.timerfdCreate();
      try (EpollEventArray events = new EpollEventArray(1);
          NativeMemory scratch = NativeMemory.allocate(LinuxNative.SCRATCH_SIZE, "test")) {
        LinuxNative.epollCtl(epfd, LinuxNative.EPOLL_CTL_ADD, tfd, LinuxNative.EPOLLIN, scratch);
        LinuxNative.timerfdSetAbsolute(tfd, System.nanoTime() + 1_000_000L, scratch);
        assertEquals(1, LinuxNative.epollWait(epfd, events, -1));
        assertEquals(tfd, events.fd(0));
        LinuxNative.read(tfd, scratch.address(), 8, "test");
        assertEquals(1, scratch.buffer().getLong(0), "one expiry");
      } finally {
        LinuxNative.close(tfd, "test");
        LinuxNative.close(epfd, "test");
      }
    });
  }

  @Test
  void errnoBecomesAnExceptionNamingTheCallAndTheErrno() {
    NativeException e = Errno.exception("connect(fd=3)", Errno.ECONNREFUSED);
    assertEquals("connect(fd=3) failed: errno 111 (ECONNREFUSED)", e.getMessage());
    assertEquals(Errno.ECONNREFUSED, e.errno());
    assertEquals("errno 4095", Errno.name(4095));
  }

  @Test
  void anEventfdIncrementWakesAWaiter() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      int epfd = LinuxNative.epollCreate();
      int efd = LinuxNative.eventfdCreate();
      try (EpollEventArray events = new EpollEventArray(1);
          NativeMemory scratch = NativeMemory.allocate(LinuxNative.SCRATCH_SIZE, "test")) {
        LinuxNative.epollCtl(epfd, LinuxNative.EPOLL_CTL_ADD, efd, LinuxNative.EPOLLIN, scratch);
        assertEquals(0, LinuxNative.epollWait(epfd, events, 0), "nothing written yet");
        LinuxNative.eventfdIncrement(efd);
        LinuxNative.eventfdIncrement(efd);
        assertEquals(1, LinuxNative.epollWait(epfd, events, -1));
        LinuxNative.read(efd, scratch.address(), 8, "test");
        assertEquals(2, scratch.buffer().getLong(0), "the counter adds each increment");
      } finally {
        LinuxNative.close(efd, "test");
        LinuxNative.close(epfd, "test");
      }
    });
  }
}
