package io.kallisto.trace;

import static io.kallisto.trace.TraceFileDescriptor.BLOCK_COUNT_OFFSET;
import static io.kallisto.trace.TraceFileDescriptor.BLOCK_CRC_OFFSET;
import static io.kallisto.trace.TraceFileDescriptor.BLOCK_FIRST_TIME_OFFSET;
import static io.kallisto.trace.TraceFileDescriptor.BLOCK_HEADER_SIZE;
import static io.kallisto.trace.TraceFileDescriptor.BLOCK_LAST_TIME_OFFSET;
import static io.kallisto.trace.TraceFileDescriptor.BLOCK_LENGTH_OFFSET;
import static io.kallisto.trace.TraceFileDescriptor.BLOCK_THREAD_OFFSET;
import static io.kallisto.trace.TraceFileDescriptor.BLOCK_TYPE_OFFSET;

import io.kallisto.files.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A {@code .ktrace} file opened for reading. Opening reads the header, the thread and string
 * tables, and every block header with its checksum; event records are decoded only when asked
 * for, a block at a time, so memory stays small however long the trace is. Opened with
 * {@link Verify#ON_READ}, it reads only block headers at open and checks each events block when
 * it first reads it, so that a short window of a long trace costs only the blocks that meet
 * it ({@link #blocksRead()} counts them). Not thread-safe: one reader per thread;
 * {@link #reader()} gives more readers of the same index, for decoding blocks on several threads
 * at once.
 *
 * <pre>{@code
 * try (TraceFile trace = TraceFile.open(Path.of("run.ktrace"))) {
 *   trace.forEach(e -> { if (e.type() == EventType.CALLBACK) total += e.duration(); });
 *   trace.damages().forEach(System.err::println); // the ranges skipped, if any
 * }
 * }</pre>
 *
 * <p>A file cut short opens with everything before the cut. A damaged block (a flipped byte, a
 * forged length) costs only itself: the reader skips to the next block whose header and CRC
 * check out and reads on. {@link #damages()} lists every range skipped, with its offset, length
 * and reason (and, where the lost block's header still made sense, its thread and times). {@link #end()} says
 * how the recording ended (complete, or interrupted: when and why), and
 * {@link #headerChecked()} whether the header's facts were checked against its checksum
 * (format version 2 on; a mismatch throws). A file that is not a trace at all throws
 * {@link TraceFormatException}. No field read from the file can make the reader allocate more
 * than {@link TraceFileDescriptor#MAX_BLOCK_PAYLOAD} at a time.
 */
public final class TraceFile implements AutoCloseable {
  /** Receives events; the event object is reused between calls. */
  @FunctionalInterface
  public interface EventVisitor {
    /** Called once per event. */
    void visit(TraceEvent event);
  }

  /**
   * When an events block's checksum is checked. Tables (strings, threads) and the END block are
   * always checked when the file is opened: they are small, and every event needs them.
   */
  public enum Verify {
    /**
     * Every block when the file is opened, so {@link #damages()} is complete at once. Opening
     * then reads the whole file (about 0.3 s for 400 MB in the page cache).
     */
    ON_OPEN,
    /**
     * An events block when its records are first read: opening reads only block headers, so a
     * reader that wants a short window ({@code render --from/--to}) reads only the blocks that
     * meet it. A header is trusted at open only if it makes sense on its own and the next
     * block's magic (or the file's end) follows its payload; otherwise that block is checked at
     * once, as with {@link #ON_OPEN}. A block whose checksum fails when read is skipped and added
     * to {@link #damages()}, and the counts and time range no longer include it. What this mode
     * cannot see: a block whose header times were damaged so that a window read passes it by;
     * its damage shows only to a reader that reads it.
     */
    ON_READ
  }

  /** Where an events block lies and what its (possibly not yet verified) header says. */
  public static final class BlockInfo {
    private final Block block;

    BlockInfo(Block block) {
      this.block = block;
    }

    /** The block's byte offset in the file. */
    public long offset() {
      return block.offset;
    }

    /** The id of the thread that recorded it. */
    public int thread() {
      return block.thread;
    }

    /** Its number of event records. */
    public int count() {
      return block.count;
    }

    /** The earliest time any of its events covers. */
    public long first() {
      return block.first;
    }

    /** The latest time any of its events covers, slice ends included. */
    public long last() {
      return block.last;
    }
  }

  /**
   * A range of the file that could not be read, and why. The reader skips it and goes on at the
   * next block whose header and checksum check out, so a flipped byte costs only its own block.
   */
  public static final class Damage {
    private final long offset;
    private final long lostBytes;
    private final String reason;
    private final boolean toEnd;
    private final int thread;
    private final long from;
    private final long to;

    Damage(long offset, long lostBytes, String reason) {
      this(offset, lostBytes, reason, true, -1, 0, -1);
    }

    Damage(long offset, long lostBytes, String reason, boolean toEnd, int thread, long from,
        long to) {
      this.offset = offset;
      this.lostBytes = lostBytes;
      this.reason = reason;
      this.toEnd = toEnd;
      this.thread = thread;
      this.from = from;
      this.to = to;
    }

    /** The byte offset of the first unreadable block. */
    public long offset() {
      return offset;
    }

    /** Bytes skipped from {@link #offset()}: to the next readable block, or to the end. */
    public long lostBytes() {
      return lostBytes;
    }

    /** True if nothing readable followed: the rest of the file was lost. */
    public boolean toEnd() {
      return toEnd;
    }

    /** What was expected at {@link #offset()} and what was found. */
    public String reason() {
      return reason;
    }

    /**
     * True when the lost range was one events block whose header still read plausibly (its
     * magic, and a length that led exactly to the next good block): then {@link #thread()},
     * {@link #from()} and {@link #to()} say, from that unverified header, what was lost.
     */
    public boolean timeRangeKnown() {
      return to >= from;
    }

    /** The thread id of the lost events block, or -1 when not known. */
    public int thread() {
      return thread;
    }

    /** The first time the lost block covered, if {@link #timeRangeKnown()}. */
    public long from() {
      return from;
    }

    /** The last time the lost block covered, if {@link #timeRangeKnown()}. */
    public long to() {
      return to;
    }

    /**
     * One line for every damaged range of a file, as a viewer's banner says it, or {@code null}
     * for none: {@code "the last 1,234 bytes (from byte offset 5,678) could not be read: REASON.
     * Showing the 99 events before them."}, or, for ranges skipped, {@code "2 damaged ranges
     * (72 bytes in all) were skipped, the first at byte offset 5,678: REASON. Showing the other
     * 99 events."}.
     */
    public static String describe(List<Damage> damages, long eventsShown) {
      if (damages.isEmpty()) {
        return null;
      }
      Damage first = damages.get(0);
      if (damages.size() == 1 && first.toEnd) {
        return String.format(Locale.ROOT, "the last %,d bytes (from byte offset %,d) could not"
            + " be read: %s. Showing the %,d events before them.", first.lostBytes,
            first.offset, first.reason, eventsShown);
      }
      long bytes = 0;
      for (Damage d : damages) {
        bytes += d.lostBytes;
      }
      Damage last = damages.get(damages.size() - 1);
      return String.format(Locale.ROOT, "%,d damaged %s (%,d bytes in all) %s skipped, the first"
          + " at byte offset %,d: %s%s. Showing the other %,d events.", damages.size(),
          damages.size() == 1 ? "range" : "ranges", bytes, damages.size() == 1 ? "was" : "were",
          first.offset, first.reason, last.toEnd ? "; nothing after byte offset "
          + String.format(Locale.ROOT, "%,d", last.offset) + " could be read" : "", eventsShown);
    }

    @Override
    public String toString() {
      if (toEnd) {
        return "damaged at byte offset " + offset + ": " + reason + "; the last " + lostBytes
            + " bytes were not read";
      }
      return "damaged at byte offset " + offset + ": " + reason + "; " + lostBytes
          + " bytes skipped to the next readable block"
          + (timeRangeKnown() ? " (events of thread " + thread + " from " + from + " to " + to
          + " ns, by the lost block's header)" : "");
    }
  }

  /** A block's place in the file and its time range. */
  static final class Block {
    final long offset;
    final int thread;
    final int count;
    final long first;
    final long last;
    /**
     * True once its checksum matched: at open under ON_OPEN, at first read under ON_READ.
     * Volatile, and set under the file's lock: readers on other threads see it.
     */
    volatile boolean verified;
    /** True once its checksum failed on read (ON_READ): it is skipped from then on. */
    volatile boolean lost;

    Block(long offset, int thread, int count, long first, long last) {
      this.offset = offset;
      this.thread = thread;
      this.count = count;
      this.first = first;
      this.last = last;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final int version;
  private final boolean virtualClock;
  private final boolean headerChecked;
  private final Map<String, String> header = new LinkedHashMap<>();
  private final Map<Integer, String> threads = new TreeMap<>();
  private final Map<Integer, String> strings = new HashMap<>();
  private final List<Block> blocks = new ArrayList<>();
  /** Grown as blocks need it, up to MAX_BLOCK_PAYLOAD; a small file never costs megabytes. */
  private ByteBuffer payload = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer blockHeader = ByteBuffer.allocate(BLOCK_HEADER_SIZE)
      .order(ByteOrder.LITTLE_ENDIAN);
  private long events;
  private long firstTime = Long.MAX_VALUE;
  private long lastTime = Long.MIN_VALUE;
  private final List<Damage> damages = new ArrayList<>();
  private final CRC32 crc = new CRC32();
  private final ByteBuffer crcHeader = ByteBuffer.allocate(BLOCK_HEADER_SIZE)
      .order(ByteOrder.LITTLE_ENDIAN);
  /** Bytes read ahead while looking for the next block after damage; made on first need. */
  private ByteBuffer scan;
  private TraceEnd end;
  private final Verify verify;
  /** Events blocks whose payload was read, each once: see {@link #blocksRead()}. */
  private long blocksRead;
  /** The reader behind {@link #forEach}, made on first use. */
  private Reader own;

  private TraceFile(Path path, FileChannel channel, Verify verify) throws IOException {
    this.path = path;
    this.channel = channel;
    this.verify = verify;
    this.size = channel.size();
    ByteBuffer fixed = read(0, TraceFileDescriptor.HEADER_FIXED_SIZE, "the 16-byte file header");
    byte[] magic = new byte[8];
    fixed.get(magic);
    if (!java.util.Arrays.equals(magic, TraceFileDescriptor.MAGIC)) {
      throw new TraceFormatException(path, 0, "not a Kallisto trace: expected the magic"
          + " 'KTRACE\\0\\n', found " + printable(magic));
    }
    version = Short.toUnsignedInt(fixed.getShort());
    if (version < 1 || version > TraceFileDescriptor.VERSION) {
      throw new TraceFormatException(path, 8, "trace format version " + version
          + " is not one this Kallisto reads (1 to " + TraceFileDescriptor.VERSION + ")");
    }
    virtualClock = (fixed.getShort() & TraceFileDescriptor.FLAG_VIRTUAL_CLOCK) != 0;
    long bodyLength = Integer.toUnsignedLong(fixed.getInt());
    headerChecked = version >= TraceFileDescriptor.FIRST_CHECKED_VERSION;
    long blocksStart = TraceFileDescriptor.firstBlockOffset(version, bodyLength);
    if (bodyLength > TraceFileDescriptor.MAX_HEADER_BODY || blocksStart > size) {
      throw new TraceFormatException(path, 12, "header body length " + bodyLength
          + " does not fit: expected at most " + Math.min(TraceFileDescriptor.MAX_HEADER_BODY,
          size - (blocksStart - bodyLength)) + " bytes");
    }
    CRC32 crc = new CRC32();
    crc.update(fixed.rewind()); // 'fixed' is the reused buffer: checksum it before it is reused
    ByteBuffer body = read(16, (int) bodyLength, "the header body");
    if (headerChecked) {
      // Checked before a fact is parsed: a flipped bit must not become a plausible wrong fact.
      crc.update(body.duplicate());
      int stored = read(blockHeader, 16 + bodyLength, TraceFileDescriptor.HEADER_CRC_SIZE,
          "the header checksum").getInt(0);
      if (stored != (int) crc.getValue()) {
        throw new TraceFormatException(path, 16 + bodyLength, String.format(Locale.ROOT,
            "header checksum mismatch: the header is corrupt (CRC32 stored 0x%08x, computed"
                + " 0x%08x)", stored, (int) crc.getValue()));
      }
    }
    readHeaderBody(body);
    indexBlocks(blocksStart);
  }

  /**
   * Opens {@code file}, which must be a regular file: a FIFO, device or directory is refused
   * before it is opened (see {@link InputFiles}).
   *
   * @throws TraceFormatException if it is not a Kallisto trace this version reads
   * @throws UncheckedIOException if it cannot be read or is not a regular file, naming it
   */
  public static TraceFile open(Path file) {
    return open(file, Verify.ON_OPEN);
  }

  /**
   * Opens {@code file}, checking its events blocks' checksums as {@code verify} says; otherwise
   * as {@link #open(Path)}.
   */
  public static TraceFile open(Path file, Verify verify) {
    FileChannel channel;
    try {
      channel = InputFiles.open(file);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof InputFiles.NotRegular) {
        throw new UncheckedIOException(e.getMessage() + "; give a .ktrace file", e.getCause());
      }
      throw e;
    }
    try {
      return new TraceFile(file, channel, verify);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** The format version it was written in. */
  public int version() {
    return version;
  }

  /** True for a simulated run's virtual time. */
  public boolean virtualClock() {
    return virtualClock;
  }

  /**
   * True if the header carries a checksum, which matched (format version 2 on; a mismatch does
   * not open). False for version 1, whose facts nothing checks: a flipped bit there goes unseen.
   */
  public boolean headerChecked() {
    return headerChecked;
  }

  /**
   * How the recording ended, from its END block: complete, or interrupted (when, why, how far
   * it got). {@code null} when there is none: a version 1 file, or one whose writer never closed
   * it (killed, or the file was cut short; {@link #damage()} says whether a block was cut).
   */
  public TraceEnd end() {
    return end;
  }

  /** The header's facts: version, clock, JVM, OS, scenario, seed... in file order. */
  public Map<String, String> header() {
    return Collections.unmodifiableMap(header);
  }

  /** Thread names by id. */
  public Map<Integer, String> threads() {
    return Collections.unmodifiableMap(threads);
  }

  /** The text of string {@code id}, or {@code "?<id>"} if the file never defined it. */
  public String string(int id) {
    String s = strings.get(id);
    return s != null ? s : id == 0 ? "" : "?" + id;
  }

  /** Event records in the readable part of the file. */
  public long eventCount() {
    return events;
  }

  /** The earliest time any event covers, or 0 for a trace without events. */
  public long firstTime() {
    return events == 0 ? 0 : firstTime;
  }

  /** The latest time any event covers, slice ends included, or 0 without events. */
  public long lastTime() {
    return events == 0 ? 0 : lastTime;
  }

  /** The first damaged range, or {@code null} if every byte after the header was read. */
  public Damage damage() {
    return damages.isEmpty() ? null : damages.get(0);
  }

  /** Every damaged range, in file order; empty if every byte after the header was read. */
  public List<Damage> damages() {
    return Collections.unmodifiableList(damages);
  }

  /** When events blocks are checked; see {@link Verify}. */
  public Verify verify() {
    return verify;
  }

  /**
   * The events blocks, in file order, as their headers describe them: where they are, whose they
   * are, how many events and what time range. Under {@link Verify#ON_READ}, blocks not yet read
   * are not yet verified; a block found damaged on read is no longer listed.
   */
  public List<BlockInfo> blocks() {
    List<BlockInfo> out = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      if (!b.lost) {
        out.add(new BlockInfo(b));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * How many events blocks this reader has read the payload of, each counted once: every block
   * at open under {@link Verify#ON_OPEN}, for its checksum; under {@link Verify#ON_READ}, only
   * the blocks a {@code forEach} has visited, so a window counts only the blocks that meet it.
   */
  public long blocksRead() {
    return blocksRead;
  }

  /** Visits every event, block by block in file order; within a thread, in recording order. */
  public void forEach(EventVisitor visitor) {
    forEach(-1, Long.MIN_VALUE, Long.MAX_VALUE, visitor);
  }

  /**
   * Visits the events of {@code thread} (or every thread, for -1) that overlap
   * {@code [from, to]}. Blocks outside the window are skipped without being read.
   */
  public void forEach(int thread, long from, long to, EventVisitor visitor) {
    if (own == null) {
      own = new Reader();
    }
    own.forEach(thread, from, to, visitor);
  }

  /**
   * A reader of this file's events that shares its block index, thread and string tables (no
   * second walk of the file), with buffers of its own: what decoding blocks on several threads
   * at once needs, one reader per thread. Readers of one file may run on different threads at
   * the same time (each reads at explicit positions of the shared channel, which
   * {@link FileChannel} allows concurrently); a block verified on first read under
   * {@link Verify#ON_READ} is checked, counted in {@link #blocksRead()} and, if damaged,
   * {@link #damages() lost} once, whichever reader reads it first. The file's own methods
   * ({@link #forEach}, {@link #eventCount()}, {@link #damages()}...) are for the thread that
   * opened it, once the readers' work is done; closing the file closes its readers.
   */
  public Reader reader() {
    return new Reader();
  }

  /**
   * One thread's reader of a {@link TraceFile}'s events: see {@link TraceFile#reader()}. Not
   * thread-safe itself: one per thread.
   */
  public final class Reader {
    /** Grown as blocks need it, up to MAX_BLOCK_PAYLOAD, as the file's own buffer is. */
    private ByteBuffer body = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer header = ByteBuffer.allocate(BLOCK_HEADER_SIZE)
        .order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer crcCopy = ByteBuffer.allocate(BLOCK_HEADER_SIZE)
        .order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32 sum = new CRC32();
    private final TraceEvent event = new TraceEvent(TraceFile.this);

    private Reader() {}

    /** As {@link TraceFile#forEach(int, long, long, EventVisitor)}, through this reader. */
    public void forEach(int thread, long from, long to, EventVisitor visitor) {
      for (Block b : blocks) {
        if (b.lost || (thread >= 0 && b.thread != thread) || b.last < from || b.first > to) {
          continue;
        }
        ByteBuffer records = payload(b);
        if (records == null) {
          continue; // its checksum failed on this first read: now listed in damages()
        }
        event.thread = b.thread;
        for (int i = 0; i < b.count; i++) {
          long head = records.getLong();
          event.time = records.getLong();
          event.a = records.getLong();
          event.b = records.getLong();
          event.type = EventType.ofCode(TraceRecordDescriptor.type(head));
          if (event.type == null) {
            continue; // a type from a newer writer: skip it, as the format promises
          }
          event.kind = TraceRecordDescriptor.kind(head);
          event.small = TraceRecordDescriptor.small(head);
          event.id = TraceRecordDescriptor.id(head);
          if (event.end() < from || event.time > to) {
            continue;
          }
          visitor.visit(event);
        }
      }
    }

    /**
     * The records of {@code b}, or {@code null} if it was not yet verified and its checksum
     * fails: it is then marked lost, listed in {@link #damages()}, and no longer counted.
     */
    private ByteBuffer payload(Block b) {
      try {
        int length = b.count * TraceRecordDescriptor.SIZE;
        if (length > body.capacity()) {
          body = ByteBuffer.allocate(Math.min(TraceFileDescriptor.MAX_BLOCK_PAYLOAD,
              Math.max(length, body.capacity() * 2))).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer records = read(body, b.offset + BLOCK_HEADER_SIZE, length, "an events block");
        if (b.verified) {
          return records;
        }
        boolean good = crcMatches(read(header, b.offset, BLOCK_HEADER_SIZE, "a block header"),
            records, sum, crcCopy);
        synchronized (TraceFile.this) { // the first reader of the block counts and judges it
          if (b.lost) {
            return null;
          }
          if (!b.verified) {
            blocksRead++; // a verified block was read once already, at open or at first read
            if (!good) {
              lose(b);
              return null;
            }
            b.verified = true;
          }
        }
        return records;
      } catch (IOException e) {
        throw new UncheckedIOException(path + ": cannot read: " + e.getMessage(), e);
      }
    }
  }

  /** How many events of each type the readable part holds. */
  public Map<EventType, Long> countByType() {
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    long[] n = new long[64];
    forEach(e -> n[e.type().code()]++);
    for (EventType t : EventType.values()) {
      if (n[t.code()] > 0) {
        counts.put(t, n[t.code()]);
      }
    }
    return counts;
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  // ---- parsing -------------------------------------------------------------------------------

  private void readHeaderBody(ByteBuffer body) {
    long base = 16;
    int count = need(body, 2, base, "the header fact count") ? Short.toUnsignedInt(body.getShort()) : 0;
    for (int i = 0; i < count; i++) {
      String key = text(body, Short.toUnsignedInt(shortAt(body, base, "a header key length")),
          base, "a header key");
      int valueLength = intAt(body, base, "a header value length");
      String value = text(body, valueLength, base, "a header value");
      header.put(key, value);
    }
  }

  /**
   * Indexes every block from {@code offset} on. A block that does not check out is skipped: the
   * reader looks for the next offset holding a block whose header makes sense and whose CRC
   * matches, records the range in between as {@link Damage}, and goes on from there.
   */
  private void indexBlocks(long offset) throws IOException {
    while (offset < size) {
      if (verify == Verify.ON_READ && trustHeader(offset)) {
        offset += BLOCK_HEADER_SIZE + checkedLength;
        continue;
      }
      String problem = check(offset);
      if (problem == null) {
        try {
          index(offset, true);
          offset += BLOCK_HEADER_SIZE + checkedLength;
          continue;
        } catch (TraceFormatException e) {
          problem = e.getMessage(); // its checksum matched, yet it does not parse: skip it too
        }
      }
      long next = nextBlock(offset + 1);
      if (next < 0) {
        damages.add(new Damage(offset, size - offset, problem));
        return;
      }
      damages.add(lostBetween(offset, next, problem));
      offset = next;
    }
  }

  /** The payload length of the block {@link #check} last passed. */
  private long checkedLength;

  /**
   * Checks the block at {@code offset}: header fields, bounds and CRC. Returns {@code null} when
   * it is good (its header is then in {@link #blockHeader}, its payload in {@link #payload},
   * its length in {@link #checkedLength}), or what is wrong with it.
   */
  private String check(long offset) throws IOException {
    String problem = checkHeader(offset);
    if (problem != null) {
      return problem;
    }
    ByteBuffer body = read(offset + BLOCK_HEADER_SIZE, (int) checkedLength, "a block payload");
    if (!crcMatches(blockHeader, body, crc, crcHeader)) {
      return "block checksum mismatch: the block is corrupt";
    }
    return null;
  }

  /**
   * True if the CRC stored in {@code header} is that of the header (CRC field zeroed) and body;
   * {@code crc} and {@code crcHeader} are the caller's scratch.
   */
  private static boolean crcMatches(ByteBuffer header, ByteBuffer body, CRC32 crc,
      ByteBuffer crcHeader) {
    int storedCrc = header.getInt(BLOCK_CRC_OFFSET);
    crc.reset();
    // A copy with the CRC field zeroed, as the writer summed it; the header itself stays intact.
    ByteBuffer headerForCrc = crcHeader.clear();
    headerForCrc.put(header.duplicate().clear().limit(BLOCK_HEADER_SIZE));
    headerForCrc.putInt(BLOCK_CRC_OFFSET, 0).rewind();
    crc.update(headerForCrc);
    crc.update(body.duplicate());
    return (int) crc.getValue() == storedCrc;
  }

  /**
   * Under {@link Verify#ON_READ}: indexes the block at {@code offset} by its header alone, if it
   * is an events block whose header passes {@link #checkHeader} and is followed by the next
   * block's magic or the end of the file. Returns false, having indexed nothing, otherwise: the
   * caller then checks it in full. The magic that follows is what makes a damaged length
   * visible here, since a single flipped byte in the length or count breaks {@code length ==
   * count * 32} and anything larger lands, but for a chance in 2^32, on a non-magic.
   */
  private boolean trustHeader(long offset) throws IOException {
    if (checkHeader(offset) != null
        || blockHeader.get(BLOCK_TYPE_OFFSET) != TraceFileDescriptor.BLOCK_EVENTS) {
      return false;
    }
    long first = blockHeader.getLong(BLOCK_FIRST_TIME_OFFSET);
    long last = blockHeader.getLong(BLOCK_LAST_TIME_OFFSET);
    if (blockHeader.getInt(BLOCK_COUNT_OFFSET) > 0 && last < first) {
      return false;
    }
    long next = offset + BLOCK_HEADER_SIZE + checkedLength;
    if (next != size) {
      if (next + BLOCK_HEADER_SIZE > size) {
        return false;
      }
      // The next header, read now and kept for checkHeader(next): one read per block, not two.
      read(nextHeader, next, BLOCK_HEADER_SIZE, "the next block header");
      nextHeaderOffset = next;
      if (nextHeader.getInt(0) != TraceFileDescriptor.BLOCK_MAGIC) {
        return false;
      }
    }
    index(offset, false);
    return true;
  }

  /** A block header read ahead by {@link #trustHeader}, and where it was read from (-1: none). */
  private final ByteBuffer nextHeader = ByteBuffer.allocate(BLOCK_HEADER_SIZE)
      .order(ByteOrder.LITTLE_ENDIAN);
  private long nextHeaderOffset = -1;

  private ByteBuffer scanBuffer() {
    if (scan == null) {
      scan = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    }
    return scan;
  }

  /**
   * Checks the header of the block at {@code offset}: its fields and bounds, not its checksum.
   * Returns {@code null} when it is good (it is then in {@link #blockHeader}, its payload length
   * in {@link #checkedLength}), or what is wrong with it.
   */
  private String checkHeader(long offset) throws IOException {
    long left = size - offset;
    if (left < BLOCK_HEADER_SIZE) {
      return "expected a " + BLOCK_HEADER_SIZE + "-byte block header, found only " + left
          + " bytes (the file was cut short)";
    }
    ByteBuffer h;
    if (offset == nextHeaderOffset) {
      h = blockHeader.clear().put(nextHeader.rewind()).flip();
      nextHeaderOffset = -1;
    } else {
      h = read(blockHeader, offset, BLOCK_HEADER_SIZE, "a block header");
    }
    int magic = h.getInt(0);
    int type = h.get(BLOCK_TYPE_OFFSET);
    long length = Integer.toUnsignedLong(h.getInt(BLOCK_LENGTH_OFFSET));
    long count = Integer.toUnsignedLong(h.getInt(BLOCK_COUNT_OFFSET));
    if (magic != TraceFileDescriptor.BLOCK_MAGIC) {
      return "expected the block magic 'KBLK', found " + printable(bytesOf(h, 4));
    } else if (type < TraceFileDescriptor.BLOCK_EVENTS || type > lastBlockType()) {
      return "block type " + type + " is unknown; expected 1 (events), 2 (strings), 3"
          + " (threads)" + (lastBlockType() >= TraceFileDescriptor.BLOCK_END ? " or 4 (end)"
          : " (4, end, comes with version 2)");
    } else if (length > TraceFileDescriptor.MAX_BLOCK_PAYLOAD) {
      return "block payload length " + length + " exceeds the limit of "
          + TraceFileDescriptor.MAX_BLOCK_PAYLOAD;
    } else if (type == TraceFileDescriptor.BLOCK_EVENTS
        && length != count * TraceRecordDescriptor.SIZE) {
      return "an events block of " + count + " records must hold " + count * 32
          + " bytes, but its length says " + length;
    } else if (length > left - BLOCK_HEADER_SIZE) {
      return "block payload of " + length + " bytes runs past the end of the file (the file"
          + " was cut short)";
    }
    checkedLength = length;
    return null;
  }

  /**
   * Takes in the block at {@code offset}, whose header {@link #check} (verified: payload and
   * checksum too) or {@link #trustHeader} just passed.
   */
  private void index(long offset, boolean verified) {
    ByteBuffer h = blockHeader;
    ByteBuffer body = payload;
    int type = h.get(BLOCK_TYPE_OFFSET);
    int count = (int) Integer.toUnsignedLong(h.getInt(BLOCK_COUNT_OFFSET));
    // Positions in the payload count from its first byte, just after the block header.
    if (type == TraceFileDescriptor.BLOCK_STRINGS) {
      readStrings(body, count, offset + BLOCK_HEADER_SIZE);
    } else if (type == TraceFileDescriptor.BLOCK_THREADS) {
      readThreads(body, count, offset + BLOCK_HEADER_SIZE);
    } else if (type == TraceFileDescriptor.BLOCK_END) {
      end = readEnd(body, offset + BLOCK_HEADER_SIZE);
    } else {
      long first = h.getLong(BLOCK_FIRST_TIME_OFFSET);
      long last = h.getLong(BLOCK_LAST_TIME_OFFSET);
      Block block = new Block(offset, Short.toUnsignedInt(h.getShort(BLOCK_THREAD_OFFSET)),
          count, first, last);
      block.verified = verified;
      if (verified) {
        blocksRead++; // its payload was read for the checksum
      }
      blocks.add(block);
      events += count;
      if (count > 0) {
        firstTime = Math.min(firstTime, first);
        lastTime = Math.max(lastTime, last);
      }
    }
  }

  /**
   * The first offset at or after {@code from} that holds a good block (see {@link #check}), or
   * -1 if none does. Scans for the block magic a chunk at a time; a candidate must also pass
   * every header check and the CRC, so bytes that merely look like a magic are passed over.
   */
  private long nextBlock(long from) throws IOException {
    scanBuffer();
    long at = from;
    while (at + BLOCK_HEADER_SIZE <= size) {
      int n = (int) Math.min(scan.capacity(), size - at);
      ByteBuffer chunk = read(scan, at, n, "bytes after damage");
      // Candidates whose magic starts in this chunk; the last 3 bytes are seen again next time.
      int last = n - 4;
      for (int i = 0; i <= last; i++) {
        if (chunk.getInt(i) == TraceFileDescriptor.BLOCK_MAGIC && check(at + i) == null) {
          return at + i;
        }
      }
      if (at + n >= size) {
        return -1;
      }
      at += n - 3;
    }
    return -1;
  }

  /**
   * The damage from {@code offset} to {@code next}. If the lost block's own header still made
   * sense (the magic, an events type, a length leading exactly to {@code next}), it says which
   * thread and times were lost, though nothing checked those fields.
   */
  private Damage lostBetween(long offset, long next, String problem) throws IOException {
    ByteBuffer h = read(blockHeader, offset, BLOCK_HEADER_SIZE, "a block header");
    long length = Integer.toUnsignedLong(h.getInt(BLOCK_LENGTH_OFFSET));
    boolean plausible = h.getInt(0) == TraceFileDescriptor.BLOCK_MAGIC
        && h.get(BLOCK_TYPE_OFFSET) == TraceFileDescriptor.BLOCK_EVENTS
        && offset + BLOCK_HEADER_SIZE + length == next;
    long from = h.getLong(BLOCK_FIRST_TIME_OFFSET);
    long to = h.getLong(BLOCK_LAST_TIME_OFFSET);
    if (!plausible || to < from) {
      return new Damage(offset, next - offset, problem, false, -1, 0, -1);
    }
    return new Damage(offset, next - offset, problem, false,
        Short.toUnsignedInt(h.getShort(BLOCK_THREAD_OFFSET)), from, to);
  }

  private void readStrings(ByteBuffer body, int count, long offset) {
    for (int i = 0; i < count; i++) {
      int id = intAt(body, offset, "a string id");
      strings.put(id, text(body, Short.toUnsignedInt(shortAt(body, offset, "a string length")),
          offset, "a string"));
    }
  }

  private void readThreads(ByteBuffer body, int count, long offset) {
    for (int i = 0; i < count; i++) {
      int id = Short.toUnsignedInt(shortAt(body, offset, "a thread id"));
      threads.put(id, text(body, Short.toUnsignedInt(shortAt(body, offset, "a name length")),
          offset, "a thread name"));
    }
  }

  /** The END block's payload, as {@link TraceFileDescriptor} draws it. */
  private TraceEnd readEnd(ByteBuffer body, long offset) {
    need(body, TraceFileDescriptor.END_REASON_OFFSET, offset, "an end record");
    long time = body.getLong(TraceFileDescriptor.END_TIME_OFFSET);
    long planned = body.getLong(TraceFileDescriptor.END_PLANNED_OFFSET);
    long ran = body.getLong(TraceFileDescriptor.END_RAN_OFFSET);
    int status = body.get(TraceFileDescriptor.END_STATUS_OFFSET);
    int length = Short.toUnsignedInt(body.getShort(TraceFileDescriptor.END_REASON_LENGTH_OFFSET));
    body.position(TraceFileDescriptor.END_REASON_OFFSET);
    String reason = text(body, length, offset, "an end reason");
    if (status == TraceFileDescriptor.END_COMPLETE) {
      return TraceEnd.complete(time, planned, ran);
    }
    if (status == TraceFileDescriptor.END_INTERRUPTED) {
      return TraceEnd.interrupted(time, reason, planned, ran);
    }
    throw new TraceFormatException(path, offset + TraceFileDescriptor.END_STATUS_OFFSET,
        "end status " + status + " is unknown; expected 1 (complete) or 2 (interrupted)");
  }

  /** Marks {@code b}, found damaged on read, as lost: a damage, and out of the counts. */
  private void lose(Block b) {
    b.lost = true;
    Damage d = new Damage(b.offset, BLOCK_HEADER_SIZE + (long) b.count * TraceRecordDescriptor.SIZE,
        "block checksum mismatch: the block is corrupt (found when its events were read)", false,
        b.thread, b.first, b.last);
    int at = 0;
    while (at < damages.size() && damages.get(at).offset() < b.offset) {
      at++;
    }
    damages.add(at, d);
    events -= b.count;
    firstTime = Long.MAX_VALUE;
    lastTime = Long.MIN_VALUE;
    for (Block other : blocks) {
      if (!other.lost && other.count > 0) {
        firstTime = Math.min(firstTime, other.first);
        lastTime = Math.max(lastTime, other.last);
      }
    }
  }

  /** The highest block type this file's version may hold. */
  private int lastBlockType() {
    return version >= TraceFileDescriptor.FIRST_CHECKED_VERSION ? TraceFileDescriptor.BLOCK_END
        : TraceFileDescriptor.BLOCK_THREADS;
  }

  /** Reads {@code length} bytes at {@code offset} into the reused payload buffer. */
  private ByteBuffer read(long offset, int length, String what) throws IOException {
    if (length > payload.capacity() && offset + length <= size) {
      // Only lengths already checked against MAX_BLOCK_PAYLOAD and the file size get here.
      payload = ByteBuffer.allocate(Math.min(TraceFileDescriptor.MAX_BLOCK_PAYLOAD,
          Math.max(length, payload.capacity() * 2))).order(ByteOrder.LITTLE_ENDIAN);
    }
    return read(payload, offset, length, what);
  }

  /** Reads {@code length} bytes at {@code offset} into {@code buf}, which is big enough. */
  private ByteBuffer read(ByteBuffer buf, long offset, int length, String what)
      throws IOException {
    if (offset + length > size) {
      throw new TraceFormatException(path, offset, "expected " + what + " of " + length
          + " bytes, but the file ends after " + (size - offset));
    }
    buf.clear().limit(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, offset + buf.position()) < 0) {
        throw new TraceFormatException(path, offset, "unexpected end of file in " + what);
      }
    }
    buf.flip();
    return buf.order(ByteOrder.LITTLE_ENDIAN);
  }

  private boolean need(ByteBuffer b, int n, long offset, String what) {
    if (b.remaining() < n) {
      throw new TraceFormatException(path, offset + b.position(), "expected " + what + " of "
          + n + " bytes, but only " + b.remaining() + " are left");
    }
    return true;
  }

  private short shortAt(ByteBuffer b, long offset, String what) {
    need(b, 2, offset, what);
    return b.getShort();
  }

  private int intAt(ByteBuffer b, long offset, String what) {
    need(b, 4, offset, what);
    return b.getInt();
  }

  private String text(ByteBuffer b, int length, long offset, String what) {
    if (length < 0 || length > b.remaining()) {
      throw new TraceFormatException(path, offset + b.position(), what + " of " + length
          + " bytes does not fit in the " + b.remaining() + " bytes left");
    }
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytesOf(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  private static String printable(byte[] bytes) {
    StringBuilder sb = new StringBuilder("'");
    for (byte x : bytes) {
      sb.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
    }
    return sb.append('\'').toString();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }
}
