package io.kallisto.trace.export;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable buffer in which one protobuf message is written before it is copied into its
 * parent as a length-delimited field: the protobuf wire format puts a message's length before
 * its bytes, so a message must be complete before it can be written. One per nesting level;
 * the exporter's thread only.
 *
 * <p>It encodes the few wire forms the exporter uses itself, into a growing array, as
 * protobuf-java's {@link CodedOutputStream} does (varints, with negative int32 and int64 as ten
 * bytes; fixed64 little-endian; strings in UTF-8): a profile of the export put half its Java time
 * in the flushes and stream copies of a {@code CodedOutputStream} per level. The golden export
 * ({@code GoldenExportsTest}) holds the bytes to the ones {@code CodedOutputStream} wrote.
 */
final class ProtoScratch {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;

  private byte[] buf;
  private int size;

  ProtoScratch() {
    this(512);
  }

  ProtoScratch(int capacity) {
    buf = new byte[capacity];
  }

  /** True if nothing was written since the last copy. */
  boolean isEmpty() {
    return size == 0;
  }

  /** Bytes written since the last copy. */
  int size() {
    return size;
  }

  /** The buffer; its first {@link #size} bytes are the message. */
  byte[] buffer() {
    return buf;
  }

  /** Drops what was written. */
  void clear() {
    size = 0;
  }

  /** Writes the message as field {@code field} of {@code parent}, and empties this buffer. */
  void copyTo(ProtoScratch parent, int field) {
    parent.writeBytes(field, buf, 0, size);
    size = 0;
  }

  /** Writes the message as field {@code field} of {@code parent}, and empties this buffer. */
  void copyTo(CodedOutputStream parent, int field) throws IOException {
    parent.writeByteArray(field, buf, 0, size);
    size = 0;
  }

  void writeUInt64(int field, long value) {
    tag(field, VARINT);
    varint(value);
  }

  void writeUInt32(int field, int value) {
    tag(field, VARINT);
    varint(value & 0xFFFF_FFFFL);
  }

  /** int64: a negative value is ten bytes. */
  void writeInt64(int field, long value) {
    tag(field, VARINT);
    varint(value);
  }

  /** int32 (and enums): a negative value is sign-extended to ten bytes. */
  void writeInt32(int field, int value) {
    tag(field, VARINT);
    varint(value);
  }

  void writeEnum(int field, int value) {
    writeInt32(field, value);
  }

  void writeBool(int field, boolean value) {
    tag(field, VARINT);
    ensure(1);
    buf[size++] = (byte) (value ? 1 : 0);
  }

  void writeFixed64(int field, long value) {
    tag(field, FIXED64);
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (value >>> (8 * i));
    }
  }

  void writeString(int field, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeBytes(field, utf8, 0, utf8.length);
  }

  void writeBytes(int field, byte[] bytes, int offset, int length) {
    tag(field, LENGTH_DELIMITED);
    varint(length);
    ensure(length);
    System.arraycopy(bytes, offset, buf, size, length);
    size += length;
  }

  private void tag(int field, int wireType) {
    varint(field << 3 | wireType);
  }

  private void varint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[size++] = (byte) value;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
