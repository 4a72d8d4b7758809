package io.kallisto.trace;

/**
 * The layout of one trace record: 32 bytes, little-endian, the same for every {@link EventType}.
 * A fixed size keeps writing to four stores and lets a reader find record {@code i} of a block
 * without parsing the ones before it.
 *
 * <pre>
 *   0       1       2               4                               8
 *   +-------+-------+---------------+-------------------------------+
 *   | type  | kind  | small (u16)   | id (u32): label, timer, slot  |
 *   +-------+-------+---------------+-------------------------------+
 *   | time (i64): monotonic ns, the start of slices                 |  8
 *   +---------------------------------------------------------------+
 *   | a (i64): duration, deadline, value, connection or request id  | 16
 *   +---------------------------------------------------------------+
 *   | b (i64): flow id, deadline, fd, connection id                 | 24
 *   +---------------------------------------------------------------+ 32
 * </pre>
 *
 * <p>In memory a record is four {@code long}s; the first packs type, kind, small and id exactly
 * as the first eight bytes read as a little-endian {@code long}.
 */
public final class TraceRecordDescriptor {
  /** Bytes per record. */
  public static final int SIZE = 32;
  /** Longs per record in a {@link TraceBuffer}. */
  public static final int LONGS = 4;

  public static final int TYPE_OFFSET = 0;
  public static final int KIND_OFFSET = 1;
  public static final int SMALL_OFFSET = 2;
  public static final int ID_OFFSET = 4;
  public static final int TIME_OFFSET = 8;
  public static final int A_OFFSET = 16;
  public static final int B_OFFSET = 24;

  private TraceRecordDescriptor() {}

  /** The first long of a record: type, kind, small and id packed as the file stores them. */
  public static long header(int type, int kind, int small, int id) {
    return (type & 0xffL) | (kind & 0xffL) << 8 | (small & 0xffffL) << 16 | (id & 0xffffffffL) << 32;
  }

  /** The type code from a header long. */
  public static int type(long header) {
    return (int) (header & 0xff);
  }

  /** The kind from a header long. */
  public static int kind(long header) {
    return (int) (header >>> 8 & 0xff);
  }

  /** The small field from a header long. */
  public static int small(long header) {
    return (int) (header >>> 16 & 0xffff);
  }

  /** The id from a header long. */
  public static int id(long header) {
    return (int) (header >>> 32);
  }
}
