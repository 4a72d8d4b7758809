package io.kallisto.trace;

/**
 * The layout of a {@code .ktrace} file: a header, then blocks until the end of the file. All
 * integers are little-endian. See {@code docs/trace-format.md} for the prose version.
 *
 * <pre>
 * File header
 *   0                               8       10      12              16
 *   +-------------------------------+-------+-------+---------------+
 *   | magic "KTRACE\0\n"            | vers. | flags | body length N |
 *   +-------------------------------+-------+-------+---------------+
 *   | body: u16 count, then count x (u16 key length, key UTF-8,     | 16
 *   |       u32 value length, value UTF-8)                          |
 *   +---------------------------------------------------------------+ 16 + N
 *   | header CRC32 (u32) of bytes 0 to 16 + N; from version 2 on    |
 *   +---------------------------------------------------------------+ 16 + N + 4
 *   flags bit 0: virtual clock (simulated run)
 *   version 1 has no header CRC: its first block starts at 16 + N
 *
 * Block (repeated)
 *   0               4       5       6               8               12
 *   +---------------+-------+-------+---------------+---------------+
 *   | magic "KBLK"  | type  | 0     | thread (u16)  | payload len P |
 *   +---------------+-------+-------+---------------+---------------+
 *   | record count (u32)            | CRC32 (u32): all 36 header    | 12
 *   |                               |   bytes with this field zero, |
 *   |                               |   then the payload            |
 *   +-------------------------------+-------------------------------+ 20
 *   | first time (i64): the smallest record time in the block       | 20
 *   +---------------------------------------------------------------+
 *   | last time (i64): the largest record time, slice ends included | 28
 *   +---------------------------------------------------------------+ 36
 *   | payload: P bytes                                              |
 *   +---------------------------------------------------------------+ 36 + P
 *
 * Block types
 *   1 EVENTS   records of one thread: count x 32 bytes (TraceRecordDescriptor)
 *   2 STRINGS  count x (u32 id, u16 length, UTF-8): labels defined since the last STRINGS block
 *   3 THREADS  count x (u16 id, u16 length, UTF-8): threads named since the last THREADS block
 *   4 END      count 1: how the recording ended (version 2 on); the last block of a closed file
 *
 * END payload (the block's first time = last time = the end time)
 *   0                               8                               16
 *   +-------------------------------+-------------------------------+
 *   | end time (i64): trace clock   | planned (i64): ns; 0: unknown |
 *   +-------------------------------+-------+-------+---------------+ 16
 *   | ran (i64): ns; 0: unknown     | status| 0     | reason len R  |
 *   +-------------------------------+-------+-------+---------------+ 28
 *   | reason: R bytes of UTF-8, e.g. "SIGTERM"; empty when complete |
 *   +---------------------------------------------------------------+ 28 + R
 *   status: 1 complete, 2 interrupted (cut short before its planned end)
 * </pre>
 *
 * <p>Every id a block uses is defined by a STRINGS or THREADS block earlier in the file. The time
 * range in each header lets a reader skip blocks outside a window by seeking over their payload.
 * A file cut short is readable up to its last complete block. From version 2 on, a file whose
 * writer closed it ends with an END block; one without END was never closed (its writer was
 * killed, or the file was cut at a block boundary).
 */
public final class TraceFileDescriptor {
  /** The first eight bytes of every trace file. */
  public static final byte[] MAGIC = {'K', 'T', 'R', 'A', 'C', 'E', 0, '\n'};
  /** The version this code writes. */
  public static final int VERSION = 2;
  /** The first version whose header ends with a CRC32 and whose closed files end with END. */
  public static final int FIRST_CHECKED_VERSION = 2;
  /** Header flag: timestamps are virtual (simulated) time. */
  public static final int FLAG_VIRTUAL_CLOCK = 1;
  /** Size of the fixed part of the file header. */
  public static final int HEADER_FIXED_SIZE = 16;
  /** The largest header body a reader accepts. */
  public static final int MAX_HEADER_BODY = 1 << 20;
  /** Size of the header CRC32 that follows the body from version 2 on. */
  public static final int HEADER_CRC_SIZE = 4;

  /** "KBLK" read as a little-endian int. */
  public static final int BLOCK_MAGIC = 'K' | 'B' << 8 | 'L' << 16 | 'K' << 24;
  public static final int BLOCK_HEADER_SIZE = 36;
  public static final int BLOCK_TYPE_OFFSET = 4;
  public static final int BLOCK_THREAD_OFFSET = 6;
  public static final int BLOCK_LENGTH_OFFSET = 8;
  public static final int BLOCK_COUNT_OFFSET = 12;
  public static final int BLOCK_CRC_OFFSET = 16;
  public static final int BLOCK_FIRST_TIME_OFFSET = 20;
  public static final int BLOCK_LAST_TIME_OFFSET = 28;
  /** The largest block payload a reader accepts: a forged length cannot make it allocate more. */
  public static final int MAX_BLOCK_PAYLOAD = 4 << 20;

  public static final int BLOCK_EVENTS = 1;
  public static final int BLOCK_STRINGS = 2;
  public static final int BLOCK_THREADS = 3;
  public static final int BLOCK_END = 4;

  public static final int END_TIME_OFFSET = 0;
  public static final int END_PLANNED_OFFSET = 8;
  public static final int END_RAN_OFFSET = 16;
  public static final int END_STATUS_OFFSET = 24;
  public static final int END_REASON_LENGTH_OFFSET = 26;
  public static final int END_REASON_OFFSET = 28;
  /** The longest END reason kept, in UTF-8 bytes. */
  public static final int END_MAX_REASON = 1024;
  public static final int END_COMPLETE = 1;
  public static final int END_INTERRUPTED = 2;

  /** Where the first block starts in a file of {@code version} with a header body of N bytes. */
  public static long firstBlockOffset(int version, long bodyLength) {
    return HEADER_FIXED_SIZE + bodyLength + (version >= FIRST_CHECKED_VERSION ? HEADER_CRC_SIZE : 0);
  }

  private TraceFileDescriptor() {}
}
