package io.kallisto.trace.export;

import static io.kallisto.trace.export.PerfettoTraceDescriptor.PACKET_COMPRESSED_PACKETS;
import static io.kallisto.trace.export.PerfettoTraceDescriptor.TRACE_PACKET;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.zip.Deflater;

/**
 * Gathers whole {@code TracePacket}s, as a {@code Trace} would hold them, and writes each
 * bundle of about {@value #BUNDLE} bytes as one packet of {@code compressed_packets}: the
 * bundle deflated (zlib), which is how Perfetto's own tracing service compresses a trace.
 * trace_processor inflates a bundle and reads the packets in it in place
 * ({@code ProtoTraceTokenizer::Tokenize} and {@code Decompress}, proto_trace_tokenizer.h/.cc;
 * zlib or gzip header, {@code GzipDecompressor}). trace_packet.proto asks that each such packet
 * stay under 512 KB; a bundle is closed once it passes {@value #BUNDLE} bytes, and one packet is
 * far smaller than the rest, so deflate's worst case (a few bytes per 16 KB) stays under it.
 * The exporter's thread only; buffers are reused, so the hot path does not allocate.
 */
final class CompressedPackets {
  /** Uncompressed bytes per bundle, before the packet that passes it. */
  static final int BUNDLE = 256 * 1024;

  private final ProtoScratch bundle = new ProtoScratch(BUNDLE + (BUNDLE >> 2));
  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
  private final CodedOutputStream out;
  private byte[] deflated = new byte[BUNDLE];
  private long bundles;

  /** Bundles written to {@code out}, which the caller flushes. */
  CompressedPackets(CodedOutputStream out) {
    this.out = out;
  }

  /** Where whole packets are written, each as a {@code Trace.packet} field. */
  ProtoScratch bundle() {
    return bundle;
  }

  /** Called after each whole packet: closes the bundle once it is big enough. */
  void packetWritten() throws IOException {
    if (bundle.size() >= BUNDLE) {
      flush();
    }
  }

  /** Writes what is gathered as one compressed packet, if anything is. */
  void flush() throws IOException {
    int size = bundle.size();
    if (size == 0) {
      return;
    }
    deflater.reset();
    deflater.setInput(bundle.buffer(), 0, size);
    deflater.finish();
    int length = 0;
    while (!deflater.finished()) {
      if (length == deflated.length) {
        deflated = java.util.Arrays.copyOf(deflated, deflated.length * 2);
      }
      length += deflater.deflate(deflated, length, deflated.length - length);
    }
    bundle.clear();
    out.writeTag(TRACE_PACKET, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(CodedOutputStream.computeTagSize(PACKET_COMPRESSED_PACKETS)
        + CodedOutputStream.computeUInt32SizeNoTag(length) + length);
    out.writeByteArray(PACKET_COMPRESSED_PACKETS, deflated, 0, length);
    bundles++;
  }

  /** Compressed packets written so far. */
  long bundles() {
    return bundles;
  }

  /** Frees the deflater's native memory; no use after. */
  void end() {
    deflater.end();
  }
}
