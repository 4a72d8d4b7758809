package io.kallisto.trace.export;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A reusable buffer in which one protobuf message is written before it is copied into its
 * parent as a length-delimited field: the protobuf wire format puts a message's length before
 * its bytes, so a message must be complete before it can be written. One per nesting level;
 * the exporter's thread only.
 */
final class ProtoScratch {
  /** A byte array stream that lends its buffer instead of copying it. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes() {
      super(512);
    }

    byte[] buffer() {
      return buf;
    }
  }

  private final Bytes bytes = new Bytes();
  private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 512);

  /** The stream to write the message's fields to. */
  CodedOutputStream out() {
    return out;
  }

  /** True if nothing was written since the last copy. */
  boolean isEmpty() throws IOException {
    out.flush();
    return bytes.size() == 0;
  }

  /** Writes the message as field {@code field} of {@code parent}, and empties this buffer. */
  void copyTo(CodedOutputStream parent, int field) throws IOException {
    out.flush();
    parent.writeByteArray(field, bytes.buffer(), 0, bytes.size());
    bytes.reset();
  }

  /** Drops what was written. */
  void clear() throws IOException {
    out.flush();
    bytes.reset();
  }
}
