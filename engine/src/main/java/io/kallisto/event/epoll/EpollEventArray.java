package io.kallisto.event.epoll;

/**
 * The array {@code epoll_wait} writes ready events into, read in place: record {@code i}'s fd
 * and events come straight from native memory, so reading them allocates nothing. Records are
 * laid out as {@link EpollEventDescriptor} draws them. It starts at a given length and doubles
 * when a wait fills it (a full array may have left ready fds for the next wait). Owned by one
 * loop; not thread-safe.
 */
public final class EpollEventArray implements AutoCloseable {
  private NativeMemory memory;
  private int length;

  /** An array of {@code length} records. */
  public EpollEventArray(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("length=" + length + " must be at least 1");
    }
    this.length = length;
    this.memory = NativeMemory.allocate((long) length * EpollEventDescriptor.SIZE,
        "the epoll event array");
  }

  /** The first record's address, for {@code epoll_wait}. */
  public long address() {
    return memory.address();
  }

  /** How many records fit: the {@code maxevents} to pass {@code epoll_wait}. */
  public int length() {
    return length;
  }

  /** The fd of ready record {@code index} (the low 32 bits of its data, where we store it). */
  public int fd(int index) {
    return memory.buffer().getInt(EpollEventDescriptor.dataOffset(index));
  }

  /** The {@code EPOLL*} bits of ready record {@code index}. */
  public int events(int index) {
    return memory.buffer().getInt(EpollEventDescriptor.eventsOffset(index));
  }

  /** Doubles the length. What the array held is gone: call only between waits. */
  public void grow() {
    NativeMemory bigger = NativeMemory.allocate(2L * length * EpollEventDescriptor.SIZE,
        "the epoll event array");
    memory.close();
    memory = bigger;
    length *= 2;
  }

  /** Frees the memory. Idempotent. */
  @Override
  public void close() {
    memory.close();
  }
}
