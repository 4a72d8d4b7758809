package io.kallisto.event.epoll;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A block of memory outside the Java heap, for the structs system calls read and write. The
 * creator owns it and must {@link #close()} it; the memory is not freed by the garbage collector.
 * Not thread-safe: one owner (a loop, or a set-up path) at a time.
 *
 * <pre>{@code
 * try (NativeMemory v = NativeMemory.allocate(4, "SO_ERROR")) {
 *   v.buffer().putInt(0, 4);
 *   call(fd, v.address());
 * }
 * }</pre>
 */
public final class NativeMemory implements AutoCloseable {
  private final long size;
  private long address;
  private final ByteBuffer buffer;

  private NativeMemory(long address, long size) {
    this.address = address;
    this.size = size;
    this.buffer = new Pointer(address).getByteBuffer(0, size).order(ByteOrder.nativeOrder());
  }

  /**
   * {@code size} zeroed bytes, {@code what} naming their use in the error if there is no memory.
   *
   * @throws OutOfMemoryError if {@code malloc} fails
   */
  public static NativeMemory allocate(long size, String what) {
    if (size <= 0 || size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("size=" + size + " for " + what
          + " must be 1.." + Integer.MAX_VALUE);
    }
    long address = Native.malloc(size);
    if (address == 0) {
      throw new OutOfMemoryError("malloc(" + size + ") for " + what + " failed");
    }
    NativeMemory m = new NativeMemory(address, size);
    for (int i = 0; i < size; i++) {
      m.buffer.put(i, (byte) 0);
    }
    return m;
  }

  /**
   * The native address of a direct buffer's first byte (position 0, whatever its position is).
   * Allocates a little (a JNA pointer) per call: callers on a hot path look it up once per buffer.
   *
   * @throws IllegalArgumentException for a heap buffer, which has no stable native address
   */
  public static long addressOf(ByteBuffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException(
          "buffer=" + direct + " is a heap buffer; a system call needs a direct buffer");
    }
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }

  /** The first byte's address, for a system call. */
  public long address() {
    checkOpen();
    return address;
  }

  /** The size in bytes. */
  public long size() {
    return size;
  }

  /**
   * A view of the whole block in native byte order, for absolute gets and puts; the same buffer
   * every time. Invalid once the block is closed.
   */
  public ByteBuffer buffer() {
    checkOpen();
    return buffer;
  }

  /** Frees the memory. Idempotent. */
  @Override
  public void close() {
    if (address != 0) {
      Native.free(address);
      address = 0;
    }
  }

  private void checkOpen() {
    if (address == 0) {
      throw new IllegalStateException("native memory of " + size + " bytes is freed");
    }
  }
}
