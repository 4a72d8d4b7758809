package io.kallisto.trace.export;

import static io.kallisto.trace.export.PerfettoTraceDescriptor.PACKET_COMPRESSED_PACKETS;
import static io.kallisto.trace.export.PerfettoTraceDescriptor.TRACE_PACKET;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 *
 * <p>Deflating is about half an export's CPU time, so it runs on a thread of its own, one
 * bundle behind the exporter: bundles are handed over in order through a queue and written in
 * that order, so the file is the same as if one thread wrote it. {@value #BUFFERS} bundle
 * buffers go round, so the hot path does not allocate. One exporter thread gathers;
 * {@link #finish} or {@link #close} ends the deflating thread.
 */
final class CompressedPackets implements AutoCloseable {
  /** Uncompressed bytes per bundle, before the packet that passes it. */
  static final int BUNDLE = 256 * 1024;
  /** Bundle buffers: one being gathered, the others queued or being deflated. */
  static final int BUFFERS = 3;
  private static final ProtoScratch END = new ProtoScratch(1);

  private final BlockingQueue<ProtoScratch> free = new ArrayBlockingQueue<>(BUFFERS);
  private final BlockingQueue<ProtoScratch> full = new ArrayBlockingQueue<>(BUFFERS + 1);
  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
  private final CodedOutputStream out;
  private final Thread deflating;
  private byte[] deflated = new byte[BUNDLE];
  private ProtoScratch bundle;
  private volatile IOException failure;
  private boolean ended;

  /**
   * Bundles written to {@code out}, which belongs to the deflating thread until
   * {@link #finish} returns; the caller flushes it then.
   */
  CompressedPackets(CodedOutputStream out) {
    this.out = out;
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new ProtoScratch(BUNDLE + (BUNDLE >> 2)));
    }
    bundle = free.remove();
    deflating = new Thread(this::deflateAll, "kallisto-export-deflate");
    deflating.setDaemon(true);
    deflating.start();
  }

  /** Where whole packets are written, each as a {@code Trace.packet} field. */
  ProtoScratch bundle() {
    return bundle;
  }

  /** Called after each whole packet: hands the bundle over once it is big enough. */
  void packetWritten() throws IOException {
    if (bundle.size() >= BUNDLE) {
      handOver();
    }
  }

  /** Hands over what is gathered, waits until every bundle is written, ends the thread. */
  void finish() throws IOException {
    if (!bundle.isEmpty()) {
      handOver();
    }
    end();
    if (failure != null) {
      throw failure;
    }
  }

  /** Ends the deflating thread if {@link #finish} did not, dropping what is not written. */
  @Override
  public void close() {
    if (!ended) {
      failure = new IOException("export abandoned");
      try {
        end();
      } catch (InterruptedIOException e) {
        deflating.interrupt();
      }
    }
    if (!deflating.isAlive()) {
      deflater.end();
    }
  }

  private void handOver() throws IOException {
    try {
      full.put(bundle);
      bundle = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing the export");
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void end() throws InterruptedIOException {
    ended = true;
    try {
      full.put(END);
      deflating.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing the export");
    }
  }

  /** The deflating thread: bundles in order until END; after a failure, only drains. */
  private void deflateAll() {
    try {
      for (ProtoScratch b = full.take(); b != END; b = full.take()) {
        if (failure == null) {
          try {
            write(b);
          } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e);
          }
        }
        b.clear();
        free.put(b);
      }
    } catch (InterruptedException e) {
      failure = new InterruptedIOException("interrupted while compressing the export");
    }
  }

  private void write(ProtoScratch b) throws IOException {
    deflater.reset();
    deflater.setInput(b.buffer(), 0, b.size());
    deflater.finish();
    int length = 0;
    while (!deflater.finished()) {
      if (length == deflated.length) {
        deflated = java.util.Arrays.copyOf(deflated, deflated.length * 2);
      }
      length += deflater.deflate(deflated, length, deflated.length - length);
    }
    out.writeTag(TRACE_PACKET, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(CodedOutputStream.computeTagSize(PACKET_COMPRESSED_PACKETS)
        + CodedOutputStream.computeUInt32SizeNoTag(length) + length);
    out.writeByteArray(PACKET_COMPRESSED_PACKETS, deflated, 0, length);
  }
}
