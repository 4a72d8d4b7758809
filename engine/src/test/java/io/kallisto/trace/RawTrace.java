package io.kallisto.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A second, deliberately simple parse of a whole, intact trace's bytes, straight from the drawn
 * layouts in {@link TraceFileDescriptor} and {@link TraceRecordDescriptor}. Tests check the
 * reader against it, and use it to find block boundaries and to forge fields.
 */
final class RawTrace {
  /** One block as the file lays it out. */
  record Block(int offset, int type, int thread, int length, int count) {
    int end() {
      return offset + TraceFileDescriptor.BLOCK_HEADER_SIZE + length;
    }
  }

  /** One record with its thread, comparable by value. */
  record Rec(int thread, int type, int kind, int small, int id, long time, long a, long b) {
    static Rec of(TraceEvent e) {
      return new Rec(e.thread(), e.type().code(), e.kind(), e.small(), e.id(), e.time(), e.a(),
          e.b());
    }
  }

  final byte[] bytes;
  /** Where the first block starts: 16 plus the header body length, plus its CRC from v2 on. */
  final int headerEnd;
  final List<Block> blocks = new ArrayList<>();

  private RawTrace(byte[] bytes) {
    this.bytes = bytes;
    ByteBuffer buf = le(bytes);
    headerEnd = (int) TraceFileDescriptor.firstBlockOffset(Short.toUnsignedInt(buf.getShort(8)),
        buf.getInt(12));
    int offset = headerEnd;
    while (offset < bytes.length) {
      if (buf.getInt(offset) != TraceFileDescriptor.BLOCK_MAGIC) {
        throw new IllegalArgumentException("no block magic at " + offset);
      }
      Block b = new Block(offset, buf.get(offset + TraceFileDescriptor.BLOCK_TYPE_OFFSET),
          Short.toUnsignedInt(buf.getShort(offset + TraceFileDescriptor.BLOCK_THREAD_OFFSET)),
          buf.getInt(offset + TraceFileDescriptor.BLOCK_LENGTH_OFFSET),
          buf.getInt(offset + TraceFileDescriptor.BLOCK_COUNT_OFFSET));
      blocks.add(b);
      offset = b.end();
    }
  }

  static RawTrace parse(byte[] bytes) {
    return new RawTrace(bytes);
  }

  static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Every offset at which a cut leaves only whole blocks: the header's end and each block's. */
  List<Integer> boundaries() {
    List<Integer> out = new ArrayList<>();
    out.add(headerEnd);
    for (Block b : blocks) {
      out.add(b.end());
    }
    return out;
  }

  /** The records of the events blocks that end at or before {@code cut}, in file order. */
  List<Rec> recordsBefore(long cut) {
    return records(b -> b.end() <= cut);
  }

  /** The records of every events block but {@code lost}, in file order. */
  List<Rec> recordsWithout(Block lost) {
    return records(b -> !b.equals(lost));
  }

  private List<Rec> records(java.util.function.Predicate<Block> kept) {
    List<Rec> out = new ArrayList<>();
    ByteBuffer buf = le(bytes);
    for (Block b : blocks) {
      if (!kept.test(b) || b.type() != TraceFileDescriptor.BLOCK_EVENTS) {
        continue;
      }
      for (int i = 0; i < b.count(); i++) {
        int r = b.offset() + TraceFileDescriptor.BLOCK_HEADER_SIZE + i * TraceRecordDescriptor.SIZE;
        out.add(new Rec(b.thread(), buf.get(r + TraceRecordDescriptor.TYPE_OFFSET) & 0xff,
            buf.get(r + TraceRecordDescriptor.KIND_OFFSET) & 0xff,
            Short.toUnsignedInt(buf.getShort(r + TraceRecordDescriptor.SMALL_OFFSET)),
            buf.getInt(r + TraceRecordDescriptor.ID_OFFSET),
            buf.getLong(r + TraceRecordDescriptor.TIME_OFFSET),
            buf.getLong(r + TraceRecordDescriptor.A_OFFSET),
            buf.getLong(r + TraceRecordDescriptor.B_OFFSET)));
      }
    }
    return out;
  }

  /** Every record the reader returns, in its order. */
  static List<Rec> eventsOf(TraceFile trace) {
    List<Rec> out = new ArrayList<>();
    trace.forEach(e -> out.add(Rec.of(e)));
    return out;
  }

  /** Recomputes the header's checksum (version 2 on) in {@code bytes}, after a forgery. */
  static void resealHeader(byte[] bytes) {
    ByteBuffer buf = le(bytes);
    int crcAt = TraceFileDescriptor.HEADER_FIXED_SIZE + buf.getInt(12);
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, crcAt);
    buf.putInt(crcAt, (int) crc.getValue());
  }

  /** Recomputes the checksum of the block at {@code offset} in {@code bytes}, after a forgery. */
  static void reseal(byte[] bytes, int offset) {
    ByteBuffer buf = le(bytes);
    int length = buf.getInt(offset + TraceFileDescriptor.BLOCK_LENGTH_OFFSET);
    buf.putInt(offset + TraceFileDescriptor.BLOCK_CRC_OFFSET, 0);
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, TraceFileDescriptor.BLOCK_HEADER_SIZE + length);
    buf.putInt(offset + TraceFileDescriptor.BLOCK_CRC_OFFSET, (int) crc.getValue());
  }
}
