package io.kallisto.net;

import java.nio.ByteBuffer;

/**
 * Collects a byte stream into whole {@link RequestFrameDescriptor} frames, whatever the reads'
 * sizes: a frame split over several reads waits here until complete, and several frames in one
 * read are handed out one by one. Serves both ends of the protocol. Loop-only, like the
 * connection it belongs to.
 *
 * <p>Frames are handed out in place, inside this assembler's buffer, so nothing is copied or
 * allocated per frame once the buffer has grown to the largest frame seen.
 */
public final class FrameAssembler {
  /** Receives complete frames. */
  public interface FrameSink {
    /**
     * A complete frame at {@code [offset, offset + length)} of {@code frames}. The sink may move
     * the buffer's position and limit (to send the frame, say); the assembler resets them.
     *
     * @return false to stop handing out frames (the connection closed)
     */
    boolean onFrame(ByteBuffer frames, int offset, int length);
  }

  // Small at first: a simulated run holds one per connection, 100,000 of them; it grows to the
  // largest frame seen.
  private ByteBuffer buffer = ByteBuffer.allocate(256);
  private int start; // first byte not yet handed out
  private int end; // one past the last byte received

  /**
   * Appends {@code data} (consuming it) and hands every complete frame to {@code sink}.
   *
   * @return null, or a one-line protocol error (a frame longer than allowed); the caller should
   *     then close the connection
   */
  public String feed(ByteBuffer data, FrameSink sink) {
    int n = data.remaining();
    ensureRoom(n);
    buffer.put(end, data, data.position(), n);
    data.position(data.position() + n);
    end += n;
    while (end - start >= RequestFrameDescriptor.HEADER) {
      long payload = RequestFrameDescriptor.payloadLength(buffer, start);
      if (payload > RequestFrameDescriptor.MAX_PAYLOAD) {
        return "frame of " + payload + " payload bytes exceeds the limit of "
            + RequestFrameDescriptor.MAX_PAYLOAD;
      }
      int length = RequestFrameDescriptor.HEADER + (int) payload;
      if (end - start < length) {
        ensureRoom(length - (end - start));
        break;
      }
      int offset = start;
      start += length;
      boolean more = sink.onFrame(buffer, offset, length);
      buffer.clear();
      if (!more) {
        break;
      }
    }
    if (start == end) {
      start = 0;
      end = 0;
    }
    return null;
  }

  /** Bytes held that do not yet make a whole frame. */
  public int pending() {
    return end - start;
  }

  private void ensureRoom(int more) {
    if (end + more <= buffer.capacity()) {
      return;
    }
    int held = end - start;
    if (held + more <= buffer.capacity()) {
      buffer.put(0, buffer, start, held); // compact: move the partial frame to the front
    } else {
      ByteBuffer bigger = ByteBuffer.allocate(Integer.highestOneBit(held + more - 1) << 1);
      bigger.put(0, buffer, start, held);
      buffer = bigger;
    }
    start = 0;
    end = held;
  }
}
