package io.kallisto.trace;

import io.kallisto.files.AtomicOutput;
import io.kallisto.files.FileProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * One recording to one file. Threads append to their own {@link ThreadTrace} buffers without
 * locks; a writer thread drains them every {@value #FLUSH_MILLIS} ms (sooner when a buffer fills)
 * and streams blocks to the file, so a crash loses at most the last few milliseconds. Created by
 * {@link Tracing#start}.
 *
 * <p>With a virtual clock there is no writer thread: a buffer is written by the thread that fills
 * it, at that moment, and the rest at {@code stop()}. Where blocks begin and end then depends only
 * on what was recorded, never on wall-clock timing, so the same simulated run gives the same bytes.
 *
 * <p>The blocks go to a temporary file beside the target ({@link AtomicOutput}), renamed over it
 * by {@code stop()}: until then the file the path named before the run is left whole. A process
 * killed before {@code stop()} (kill -9) leaves that previous file, and what was recorded so far
 * in {@code NAME.XXXXXXXX.partial}, a trace that reads up to its last whole block.
 */
public final class TraceSession {
  static final long FLUSH_MILLIS = 50;

  /** How long a cut's stop goes on writing what was recorded before it drops the rest. */
  static final long CUT_FLUSH_MILLIS = 300;

  /** Longest label or thread name kept, in UTF-8 bytes; longer ones are cut. */
  static final int MAX_NAME = 1024;

  private final Path path;
  private final AtomicOutput output;
  private final FileChannel channel;
  private final TraceOptions options;
  private final List<ThreadTrace> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextThreadId = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> strings = new ConcurrentHashMap<>();
  private final AtomicInteger nextStringId = new AtomicInteger(1); // 0 means "no label"
  private final ConcurrentLinkedQueue<Object[]> newStrings = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ThreadTrace> newThreads = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<TraceBuffer> pool = new ConcurrentLinkedQueue<>();
  private final AtomicLong flowIds = new AtomicLong();
  private final AtomicInteger buffersAllocated = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private final ByteBuffer block = ByteBuffer.allocateDirect(
      TraceFileDescriptor.BLOCK_HEADER_SIZE + TraceBuffer.RECORDS * TraceRecordDescriptor.SIZE)
      .order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32 crc = new CRC32();
  private volatile boolean stopping;
  /** When a pass gives up writing (System.nanoTime()): set by a cut's stop, else never. */
  private volatile long flushDeadline = Long.MAX_VALUE;
  private volatile IOException failure;
  private long events;
  private long bytes;

  TraceSession(Path path, TraceOptions options) {
    this.path = path;
    this.options = options;
    try {
      output = AtomicOutput.create(path);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot write trace file " + path + ": "
          + reason(e.getCause()), e.getCause());
    }
    channel = output.channel();
    try {
      writeHeader();
    } catch (IOException e) {
      output.close();
      throw new UncheckedIOException("cannot write trace file " + path + ": " + reason(e), e);
    } catch (RuntimeException e) {
      output.close(); // no open channel or .partial file left behind by a header that failed
      throw e;
    }
    if (options.isVirtualClock()) {
      writer = null;
    } else {
      writer = new Thread(this::drainLoop, "kallisto-trace-writer");
      writer.setDaemon(true);
      writer.start();
    }
  }

  /** The file being written. */
  public Path path() {
    return path;
  }

  /**
   * The file the blocks go to now: a temporary file beside {@link #path()}, which
   * {@code stop()} renames to it. For watching the writer's progress (its size); any thread.
   */
  public Path writingTo() {
    return output.temporary();
  }

  /** The session's clock: monotonic nanoseconds, or virtual time for a simulated run. */
  public long now() {
    return options.clock().getAsLong();
  }

  /** The id of {@code text} in the string table, defining it on first use. Any thread. */
  public int intern(String text) {
    Integer id = strings.get(text);
    if (id != null) {
      return id;
    }
    return strings.computeIfAbsent(text, t -> {
      int fresh = nextStringId.getAndIncrement();
      newStrings.add(new Object[] {fresh, t});
      return fresh;
    });
  }

  /** A new flow id for joining events across threads (slot updates). Any thread. */
  public long nextFlowId() {
    return flowIds.incrementAndGet();
  }

  ThreadTrace register(Thread thread) {
    return register(thread.getName());
  }

  ThreadTrace register(String threadName) {
    ThreadTrace t = new ThreadTrace(this, nextThreadId.getAndIncrement(), threadName);
    threads.add(t);
    newThreads.add(t);
    return t;
  }

  /** A buffer from the pool, a new one, or {@code null} when the cap is reached. */
  TraceBuffer takeBuffer() {
    TraceBuffer b = pool.poll();
    if (b != null) {
      return b;
    }
    // Past the cap the recorder drops and counts, rather than growing the heap without bound.
    if (buffersAllocated.incrementAndGet() > options.maxBuffers()) {
      buffersAllocated.decrementAndGet();
      LockSupport.unpark(writer);
      return null;
    }
    return new TraceBuffer();
  }

  void recordDropped() {
    dropped.incrementAndGet();
  }

  void bufferFilled() {
    if (writer != null) {
      LockSupport.unpark(writer);
      return;
    }
    try {
      flush(); // virtual clock: deterministic block boundaries
    } catch (IOException e) {
      failure = e;
    }
  }

  /** Stops as {@link #stop(TraceEnd)}, recording a complete end at the session's clock now. */
  TraceSummary stop() {
    return stop(null);
  }

  /**
   * Stops the writer, writes everything recorded, then the END block ({@code end}, or a
   * complete end at {@link #now()} when null), and closes the file. Returns the summary.
   */
  TraceSummary stop(TraceEnd end) {
    boolean cut = end != null && end.interrupted();
    if (cut) {
      // A cut run must end within seconds, and a writer behind a melted-down run may have
      // hundreds of MiB still to write, at the disk's pace once the page cache is full.
      flushDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CUT_FLUSH_MILLIS);
    }
    stopping = true;
    if (writer != null) {
      LockSupport.unpark(writer);
      try {
        writer.join(cut ? CUT_FLUSH_MILLIS + 100 : TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (failure == null) {
        flush(); // records made after the writer's last pass
        if (cut) {
          dropped.addAndGet(unwritten()); // past the deadline: counted, not written
        }
        // Last, so that a reader that finds it knows the file was closed, not just cut short.
        writeEnd(end != null ? end : TraceEnd.complete(now(), 0, 0));
      }
    } catch (IOException e) {
      failure = e;
    }
    if (failure != null) {
      output.close(); // a half-written trace never replaces the file that was there
      throw new UncheckedIOException("writing trace file " + path + " failed: "
          + reason(failure) + "; the file is as it was before the run", failure);
    }
    try {
      // A cut run must end within seconds, and forcing a GB trace to disk can take longer: its
      // bytes are written, and the kernel writes them out after the process exits.
      output.commit(!cut); // renames the temporary over the target
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("writing trace file " + path + " failed: "
          + reason(e.getCause()) + "; the file is as it was before the run",
          e.getCause());
    }
    return new TraceSummary(path, events, bytes, threads.size(), dropped.get());
  }

  private void drainLoop() {
    while (!stopping) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS));
      try {
        flush();
      } catch (IOException e) {
        failure = e; // reported by stop(); recording goes on into memory-only buffers
        return;
      }
    }
  }

  /**
   * Writes new thread names and strings, then each thread's committed records in order: at most
   * the buffers the thread had when its turn came, so that a pass ends even while threads record
   * faster than the disk takes it (and a stop ends, the rest being recorded after it).
   */
  private synchronized void flush() throws IOException {
    writeThreadTable();
    writeStringTable();
    for (ThreadTrace t : threads) {
      TraceBuffer b;
      int left = t.buffers.size();
      while (left-- > 0 && System.nanoTime() < flushDeadline
          && (b = t.buffers.peek()) != null) {
        int committed = b.committed();
        if (committed > b.flushed) {
          writeEvents(t.id, b, b.flushed, committed);
          b.flushed = committed;
        }
        if (committed < TraceBuffer.RECORDS || !b.isRetired()) {
          // The thread's current buffer, even when full: its owner still holds it, so it may
          // be neither reset nor handed to another thread. The rest comes in a later pass.
          break;
        }
        t.buffers.poll();
        b.reset();
        pool.add(b);
      }
    }
  }

  /** Records committed to buffers and not written. Called once the writer has stopped. */
  private synchronized long unwritten() {
    long n = 0;
    for (ThreadTrace t : threads) {
      for (TraceBuffer b : t.buffers) {
        n += Math.max(0, b.committed() - b.flushed);
      }
    }
    return n;
  }

  private void writeEvents(int thread, TraceBuffer b, int from, int to) throws IOException {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long[] d = b.data;
    for (int r = from; r < to; r++) {
      int i = r * TraceRecordDescriptor.LONGS;
      long time = d[i + 1];
      first = Math.min(first, time);
      last = Math.max(last, TraceRecords.end(d[i], time, d[i + 2]));
    }
    block.clear();
    // One bulk copy: the in-memory record is already the file's four little-endian longs.
    block.position(TraceFileDescriptor.BLOCK_HEADER_SIZE).asLongBuffer()
        .put(d, from * TraceRecordDescriptor.LONGS, (to - from) * TraceRecordDescriptor.LONGS);
    block.position(TraceFileDescriptor.BLOCK_HEADER_SIZE + (to - from) * TraceRecordDescriptor.SIZE);
    finishBlock(TraceFileDescriptor.BLOCK_EVENTS, thread, to - from, first, last);
    events += to - from;
  }

  private void writeThreadTable() throws IOException {
    if (newThreads.isEmpty()) {
      return;
    }
    block.clear();
    block.position(TraceFileDescriptor.BLOCK_HEADER_SIZE);
    int count = 0;
    ThreadTrace t;
    // Names are cut to MAX_NAME bytes, so a block always has room for at least one more.
    while (block.remaining() >= 4 + MAX_NAME && (t = newThreads.poll()) != null) {
      byte[] name = utf8(t.name, MAX_NAME);
      block.putShort((short) t.id).putShort((short) name.length).put(name);
      count++;
    }
    finishBlock(TraceFileDescriptor.BLOCK_THREADS, 0, count, 0, 0);
    writeThreadTable(); // the rest, if one block could not hold them all
  }

  private void writeStringTable() throws IOException {
    if (newStrings.isEmpty()) {
      return;
    }
    block.clear();
    block.position(TraceFileDescriptor.BLOCK_HEADER_SIZE);
    int count = 0;
    Object[] s;
    while (block.remaining() >= 6 + MAX_NAME && (s = newStrings.poll()) != null) {
      byte[] text = utf8((String) s[1], MAX_NAME);
      block.putInt((Integer) s[0]).putShort((short) text.length).put(text);
      count++;
    }
    finishBlock(TraceFileDescriptor.BLOCK_STRINGS, 0, count, 0, 0);
    writeStringTable();
  }

  private synchronized void writeEnd(TraceEnd end) throws IOException {
    byte[] reason = utf8(end.reason(), TraceFileDescriptor.END_MAX_REASON);
    block.clear();
    int base = TraceFileDescriptor.BLOCK_HEADER_SIZE;
    block.putLong(base + TraceFileDescriptor.END_TIME_OFFSET, end.time())
        .putLong(base + TraceFileDescriptor.END_PLANNED_OFFSET, end.plannedNanos())
        .putLong(base + TraceFileDescriptor.END_RAN_OFFSET, end.ranNanos())
        .put(base + TraceFileDescriptor.END_STATUS_OFFSET, (byte) (end.interrupted()
            ? TraceFileDescriptor.END_INTERRUPTED : TraceFileDescriptor.END_COMPLETE))
        .put(base + TraceFileDescriptor.END_STATUS_OFFSET + 1, (byte) 0)
        .putShort(base + TraceFileDescriptor.END_REASON_LENGTH_OFFSET, (short) reason.length);
    block.position(base + TraceFileDescriptor.END_REASON_OFFSET);
    block.put(reason);
    finishBlock(TraceFileDescriptor.BLOCK_END, 0, 1, end.time(), end.time());
  }

  /** Fills in the header of the block assembled in {@link #block} and writes it. */
  private void finishBlock(int type, int thread, int count, long first, long last)
      throws IOException {
    int payload = block.position() - TraceFileDescriptor.BLOCK_HEADER_SIZE;
    block.putInt(0, TraceFileDescriptor.BLOCK_MAGIC);
    block.put(TraceFileDescriptor.BLOCK_TYPE_OFFSET, (byte) type);
    block.put(TraceFileDescriptor.BLOCK_TYPE_OFFSET + 1, (byte) 0);
    block.putShort(TraceFileDescriptor.BLOCK_THREAD_OFFSET, (short) thread);
    block.putInt(TraceFileDescriptor.BLOCK_LENGTH_OFFSET, payload);
    block.putInt(TraceFileDescriptor.BLOCK_COUNT_OFFSET, count);
    block.putInt(TraceFileDescriptor.BLOCK_CRC_OFFSET, 0);
    block.putLong(TraceFileDescriptor.BLOCK_FIRST_TIME_OFFSET, first);
    block.putLong(TraceFileDescriptor.BLOCK_LAST_TIME_OFFSET, last);
    block.flip();
    crc.reset();
    crc.update(block.duplicate());
    block.putInt(TraceFileDescriptor.BLOCK_CRC_OFFSET, (int) crc.getValue());
    while (block.hasRemaining()) {
      bytes += channel.write(block);
    }
  }

  private void writeHeader() throws IOException {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kallisto.version", io.kallisto.KallistoVersion.get());
    facts.put("clock", options.isVirtualClock() ? "virtual" : "monotonic");
    if (!options.isVirtualClock()) {
      // The only wall-clock facts in the file; a simulated run leaves them out to stay exact.
      facts.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      facts.put("start.epoch.ns", Long.toString(System.currentTimeMillis() * 1_000_000L));
      facts.put("start.monotonic.ns", Long.toString(System.nanoTime()));
    }
    facts.putAll(options.facts());
    ByteBuffer body = ByteBuffer.allocate(TraceFileDescriptor.MAX_HEADER_BODY)
        .order(ByteOrder.LITTLE_ENDIAN);
    body.putShort((short) facts.size());
    for (Map.Entry<String, String> e : facts.entrySet()) {
      byte[] k = utf8(e.getKey(), 65535);
      byte[] v = utf8(e.getValue(), 65535);
      body.putShort((short) k.length).put(k).putInt(v.length).put(v);
    }
    body.flip();
    ByteBuffer head = ByteBuffer.allocate(TraceFileDescriptor.HEADER_FIXED_SIZE)
        .order(ByteOrder.LITTLE_ENDIAN);
    head.put(TraceFileDescriptor.MAGIC)
        .putShort((short) TraceFileDescriptor.VERSION)
        .putShort((short) (options.isVirtualClock() ? TraceFileDescriptor.FLAG_VIRTUAL_CLOCK : 0))
        .putInt(body.remaining())
        .flip();
    // The CRC covers the fixed part too: a flipped flag or length is as wrong as a flipped fact.
    crc.reset();
    crc.update(head.duplicate());
    crc.update(body.duplicate());
    ByteBuffer check = ByteBuffer.allocate(TraceFileDescriptor.HEADER_CRC_SIZE)
        .order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) crc.getValue());
    for (ByteBuffer part : new ByteBuffer[] {head, body, check}) {
      while (part.hasRemaining()) {
        bytes += channel.write(part);
      }
    }
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "its folder does not exist";
    }
    return FileProblem.of(e);
  }

  private static byte[] utf8(String s, int maxBytes) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= maxBytes) {
      return b;
    }
    // maxBytes / 3 characters always fit: none takes more than three UTF-8 bytes outside
    // surrogate pairs, and a pair is four bytes for two chars.
    return s.substring(0, maxBytes / 3).getBytes(StandardCharsets.UTF_8);
  }
}
