package io.kallisto.net;

import java.nio.ByteBuffer;

/**
 * The request/response protocol's frame: a 24-byte header, big-endian (network order), then the
 * payload. A response is the request's frame sent back with the {@link #FLAG_RESPONSE} bit set and
 * the service time replaced by what the server spent, so the payload is echoed byte for byte.
 *
 * <pre>
 *   0       1       2               4                               8
 *   +-------+-------+---------------+-------------------------------+
 *   | kind  | flags | reserved (0)  | payload length (u32)          |
 *   +-------+-------+---------------+-------------------------------+
 *   | request id (u64): unique per load generator                   |  8
 *   +---------------------------------------------------------------+
 *   | service (i64): ns to work or sleep; in a response, ns spent   | 16
 *   +---------------------------------------------------------------+ 24
 *   | payload (payload length bytes)                                |
 *   +---------------------------------------------------------------+
 * </pre>
 */
public final class RequestFrameDescriptor {
  /** Header bytes. */
  public static final int HEADER = 24;
  /** The largest payload a frame may carry: 1 MiB. */
  public static final int MAX_PAYLOAD = 1 << 20;

  public static final int KIND_OFFSET = 0;
  public static final int FLAGS_OFFSET = 1;
  public static final int LENGTH_OFFSET = 4;
  public static final int ID_OFFSET = 8;
  public static final int SERVICE_OFFSET = 16;

  /** Send the payload straight back. */
  public static final int KIND_ECHO = 0;
  /** Spin on the worker for the service time, then answer. */
  public static final int KIND_CPU = 1;
  /** Block the worker's thread for the service time, then answer. */
  public static final int KIND_SLEEP = 2;

  /** Set in responses. */
  public static final int FLAG_RESPONSE = 1;

  private RequestFrameDescriptor() {}

  /** The kind of the frame at {@code offset}. */
  public static int kind(ByteBuffer b, int offset) {
    return b.get(offset + KIND_OFFSET) & 0xff;
  }

  /** The flags of the frame at {@code offset}. */
  public static int flags(ByteBuffer b, int offset) {
    return b.get(offset + FLAGS_OFFSET) & 0xff;
  }

  /** The payload length of the frame at {@code offset}, as sent (not yet checked). */
  public static long payloadLength(ByteBuffer b, int offset) {
    return b.getInt(offset + LENGTH_OFFSET) & 0xffffffffL;
  }

  /** The request id of the frame at {@code offset}. */
  public static long requestId(ByteBuffer b, int offset) {
    return b.getLong(offset + ID_OFFSET);
  }

  /** The service nanos of the frame at {@code offset}. */
  public static long serviceNanos(ByteBuffer b, int offset) {
    return b.getLong(offset + SERVICE_OFFSET);
  }

  /** Writes a request header at {@code offset}. */
  public static void writeRequest(ByteBuffer b, int offset, int kind, int payloadLength,
      long requestId, long serviceNanos) {
    b.put(offset + KIND_OFFSET, (byte) kind);
    b.put(offset + FLAGS_OFFSET, (byte) 0);
    b.putShort(offset + 2, (short) 0);
    b.putInt(offset + LENGTH_OFFSET, payloadLength);
    b.putLong(offset + ID_OFFSET, requestId);
    b.putLong(offset + SERVICE_OFFSET, serviceNanos);
  }

  /** Turns the request header at {@code offset} into its response, with the nanos spent. */
  public static void markResponse(ByteBuffer b, int offset, long spentNanos) {
    b.put(offset + FLAGS_OFFSET, (byte) FLAG_RESPONSE);
    b.putLong(offset + SERVICE_OFFSET, spentNanos);
  }

  /**
   * The payload byte at index {@code i} of request {@code requestId}: a pattern the client can
   * check in the echo, so a lost, duplicated or misplaced byte is caught.
   */
  public static byte payloadByte(long requestId, int i) {
    return (byte) (requestId * 31 + i);
  }
}
