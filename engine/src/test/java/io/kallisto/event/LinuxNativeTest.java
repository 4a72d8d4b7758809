package io.kallisto.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import io.kallisto.event.epoll.EpollEventDescriptor;
import io.kallisto.event.epoll.Errno;
import io.kallisto.event.epoll.LinuxNative;
import org.junit.jupiter.api.Test;

class LinuxNativeTest {
  @Test
  void failedSyscallThrowsNamingTheCallAndErrno() {
    NativeException e = assertThrows(NativeException.class,
        () -> LinuxNative.epollCtl(-1, LinuxNative.EPOLL_CTL_DEL, -1, 0L));
    assertEquals(Errno.EBADF, e.errno());
    assertTrue(e.getMessage().startsWith("epoll_ctl(DEL, epfd=-1, fd=-1) failed: errno 9 (EBADF)"),
        e.getMessage());
  }

  @Test
  void closingAnUnknownFdNamesTheCallAndErrno() {
    NativeException e = assertThrows(NativeException.class,
        () -> LinuxNative.close(Integer.MAX_VALUE, "nothing"));
    assertEquals("close(nothing, fd=2147483647) failed: errno 9 (EBADF)", e.getMessage());
  }

  @Test
  void epollEventLayoutMatchesTheArchitecture() {
    if (Platform.isIntel() && Platform.is64Bit()) {
      assertEquals(12, EpollEventDescriptor.SIZE, "packed on x86-64");
      assertEquals(4, EpollEventDescriptor.DATA_OFFSET);
    } else {
      assertEquals(16, EpollEventDescriptor.SIZE);
      assertEquals(8, EpollEventDescriptor.DATA_OFFSET);
    }
    assertEquals(2 * EpollEventDescriptor.SIZE + EpollEventDescriptor.DATA_OFFSET,
        EpollEventDescriptor.dataOffset(2));
  }

  @Test
  void epollBackendIsAvailableOnLinux() {
    assertEquals(Platform.isLinux(), LinuxNative.isAvailable());
  }
}
