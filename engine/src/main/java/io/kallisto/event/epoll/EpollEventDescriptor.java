package io.kallisto.event.epoll;

import com.sun.jna.Platform;

/**
 * The layout of {@code struct epoll_event}, which differs between architectures.
 *
 * <pre>
 * x86-64: the kernel declares the struct __attribute__((packed)), 12 bytes
 *   0               4                               12
 *   +---------------+-------------------------------+
 *   | events (u32)  | data (u64; we store the fd)   |
 *   +---------------+-------------------------------+
 *
 * aarch64 and every other 64-bit target: naturally aligned, 16 bytes
 *   0               4               8                               16
 *   +---------------+---------------+-------------------------------+
 *   | events (u32)  |   (padding)   | data (u64; we store the fd)   |
 *   +---------------+---------------+-------------------------------+
 * </pre>
 *
 * <p>The fd sits in the low 32 bits of {@code data}, read and written in native byte order.
 */
public final class EpollEventDescriptor {
  private static final boolean PACKED = Platform.isIntel() && Platform.is64Bit();

  /** Size of one record in bytes: 12 on x86-64, 16 elsewhere. */
  public static final int SIZE = PACKED ? 12 : 16;

  /** Offset of the {@code events} bit mask. */
  public static final int EVENTS_OFFSET = 0;

  /** Offset of the {@code data} union, whose low 32 bits hold the fd. */
  public static final int DATA_OFFSET = PACKED ? 4 : 8;

  private EpollEventDescriptor() {}

  /** Offset of record {@code index}'s events field in an array of records. */
  public static int eventsOffset(int index) {
    return index * SIZE + EVENTS_OFFSET;
  }

  /** Offset of record {@code index}'s data field in an array of records. */
  public static int dataOffset(int index) {
    return index * SIZE + DATA_OFFSET;
  }
}
