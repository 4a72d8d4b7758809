package io.kallisto.trace.export;

import static io.kallisto.trace.export.PerfettoTraceDescriptor.*;

import com.google.protobuf.CodedOutputStream;
import io.kallisto.trace.CallbackKind;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceEvent;
import io.kallisto.trace.TraceFile;
import io.kallisto.trace.analysis.ReadProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trace in Perfetto's own protobuf format ({@code Trace} of {@code TracePacket}s with
 * {@code TrackEvent}s, see {@link PerfettoTraceDescriptor}), which ui.perfetto.dev opens at
 * sizes no JSON viewer can load.
 *
 * <pre>{@code
 * try (TraceFile trace = TraceFile.open(Path.of("run.ktrace"))) {
 *   new PerfettoTraceExporter(trace).export(Path.of("run.pftrace"), null);
 * }
 * }</pre>
 *
 * <p>What the file holds:
 *
 * <ul>
 *   <li>one process ("kallisto") with a thread track per trace thread, under its real name;
 *   <li>loop iterations, callbacks, user spans and server requests as slice begin/end pairs on
 *       their thread's track, nested (a request inside the file-event callback that served it);
 *       a slice that would not nest gets a track of its own under its thread;
 *   <li>posts, slot sets and completions as instants inside the slice that made them, carrying
 *       flows: a post's {@code flow_ids} ends at its callback's {@code terminating_flow_ids};
 *       a slot flow runs set → each worker's update → completion;
 *   <li>client requests on "requests" tracks under the load generator's thread, as many as
 *       overlap;
 *   <li>counter tracks under their thread, and the derived "active connections" and
 *       "requests/s" under the process;
 *   <li>the trace's header facts as debug annotations of a "kallisto trace" instant.
 * </ul>
 *
 * <p>Size: each track's events in time order go on a packet sequence of their own
 * ({@link PerfettoSequence}): a thread's nested slices and the points in them, the thread's
 * other instants, each counter track, each client request lane. The sequence's first packet
 * clears its incremental state, sets its defaults (its track, and its incremental clock for
 * timestamps) and declares that clock in a clock snapshot; later packets say they need that
 * state, name no track when the event is on the default one, and carry their time as a delta
 * from the sequence's last packet. An event that lies behind the sequence's clock, or is
 * written ahead of it (the end of a slice that has a track of its own), carries its absolute
 * time on MONOTONIC instead. Names, categories, annotation names and the kinds' string values
 * are interned per sequence, so each string is written once on each.
 *
 * <p>Times are the trace's integer nanoseconds on one clock, declared by a clock snapshot as
 * the trace clock (MONOTONIC; a simulated run's virtual time is written the same way and says
 * so in the facts). Events stream in two passes ({@link ExportStream}); the output is written
 * through a buffer. Not reentrant.
 */
public final class PerfettoTraceExporter extends TraceExporter {
  /** The sequence of the descriptors and the facts, which also declares the trace clock. */
  static final int SEQUENCE_ID = 1;
  /** The process track. */
  static final long PROCESS_UUID = 1;
  /** Thread ids as Perfetto shows them: trace thread id + this, apart from the pid. */
  static final int TID_BASE = 1000;
  /** The pid of the one process. */
  static final int PID = 1;

  private final ProtoScratch packet = new ProtoScratch();
  private final ProtoScratch body = new ProtoScratch();
  private final ProtoScratch inner = new ProtoScratch();
  private final ProtoScratch interned = new ProtoScratch();
  private final ProtoScratch entry = new ProtoScratch();
  private final ProtoScratch clocks = new ProtoScratch();
  /** Sequences by their default track: a thread's slices, a counter, a client lane. */
  private final Map<Long, PerfettoSequence> sequences = new HashMap<>();
  /** Each thread's sequence of instants and unnested slices, on its thread track. */
  private final Map<Integer, PerfettoSequence> instantSequences = new HashMap<>();
  private final Map<String, Long> counterTracks = new HashMap<>();
  private final Map<Integer, long[]> clientLanes = new HashMap<>(); // lane uuid, last end, ...
  private final Map<Integer, OpenSlices> open = new HashMap<>();
  private final SliceOrder.Sink sliceSink = new SliceOrder.Sink() {
    @Override
    public void nested(ExportSlice slice) {
      ExportOutput.orThrow(() -> writeNested(slice));
    }

    @Override
    public void unnested(ExportSlice slice) {
      ExportOutput.orThrow(() -> writeUnnested(slice));
    }
  };
  private final ExportSink sink = new ExportSink() {
    @Override
    public void nested(ExportSlice slice) {
      sliceSink.nested(slice);
    }

    @Override
    public void unnested(ExportSlice slice) {
      sliceSink.unnested(slice);
    }

    @Override
    public void instant(TraceEvent e) {
      ExportOutput.orThrow(() -> writeInstant(e, instantSequence(e.thread()),
          threadTrack(e.thread())));
    }

    @Override
    public void counter(TraceEvent e) {
      ExportOutput.orThrow(() -> writeCounter(counterTrack(e.thread(), e.label()), e.time(), e.a()));
    }

    @Override
    public void clientRequest(TraceEvent begin, TraceEvent end) {
      ExportOutput.orThrow(() -> writeClientRequest(begin, end));
    }

    @Override
    public void derivedCounter(String name, DerivedCounters.Point p) {
      ExportOutput.orThrow(() -> writeCounter(counterTrack(-1, name), p.time(), p.value()));
    }
  };
  private final boolean compress;
  private CodedOutputStream out;
  private CompressedPackets bundles;
  private FlowMatch flows;
  private PerfettoSequence global;
  /** The sequence of the event being built, whose tables its annotations are interned in. */
  private PerfettoSequence current;
  private int nextSequence;
  private long nextUuid;
  private long packetCount;
  private long arrows;
  private long unnested;

  /** Stack of the open slices' ends on one thread track, and the track's sequence. */
  private static final class OpenSlices {
    long[] ends = new long[16];
    int size;
    PerfettoSequence seq;
  }

  /** An exporter of the whole of {@code trace}, which the caller owns and closes; compressed. */
  public PerfettoTraceExporter(TraceFile trace) {
    this(trace, Long.MIN_VALUE, Long.MAX_VALUE, true);
  }

  /**
   * An exporter of the events of {@code trace} that overlap [{@code from}, {@code to}] (trace
   * nanoseconds); only the blocks that meet the window are read. Compressed.
   */
  public PerfettoTraceExporter(TraceFile trace, long from, long to) {
    this(trace, from, to, true);
  }

  /**
   * As {@link #PerfettoTraceExporter(TraceFile, long, long)}; if {@code compress}, packets are
   * written in deflated bundles ({@link CompressedPackets}), about a fifth of the size; if not,
   * one by one, and the bytes depend on nothing but this class (not on the zlib at hand).
   */
  public PerfettoTraceExporter(TraceFile trace, long from, long to, boolean compress) {
    super(trace, from, to);
    this.compress = compress;
  }

  @Override
  ExportSummary write(OutputStream stream, ReadProgress progress, String target) {
    reset();
    ExportStream events = new ExportStream(trace, from, to);
    flows = events.flows();
    out = CodedOutputStream.newInstance(stream, 1 << 16);
    bundles = compress ? new CompressedPackets(out) : null;
    try {
      start(global);
      writeProcessAndThreads();
      writeFacts();
      events.run(sink, progress);
      for (Map.Entry<Integer, OpenSlices> t : open.entrySet()) {
        closeUntil(t.getKey(), t.getValue(), Long.MAX_VALUE);
      }
      if (bundles != null) {
        bundles.finish();
      }
      out.flush();
    } catch (IOException e) {
      throw ExportOutput.failure(target, e);
    } catch (ExportOutput.WriteFailure e) {
      throw ExportOutput.failure(target, e);
    } finally {
      if (bundles != null) {
        bundles.close();
      }
      out = null;
      bundles = null;
    }
    return new ExportSummary(packetCount, arrows, flows.unmatchedPosts(), unnested);
  }

  private void reset() {
    sequences.clear();
    instantSequences.clear();
    nextSequence = SEQUENCE_ID;
    global = new PerfettoSequence(nextSequence++, PROCESS_UUID);
    counterTracks.clear();
    clientLanes.clear();
    open.clear();
    int maxThread = trace.threads().keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    nextUuid = threadTrack(maxThread) + 1;
    packetCount = 0;
    arrows = 0;
    unnested = 0;
  }

  // ---- descriptors ---------------------------------------------------------------------------

  /**
   * The first packet of {@code seq}, written before any other of it: it clears the sequence's
   * incremental state, sets its defaults (the track of events that name none, and its
   * incremental clock for every timestamp) and declares that clock in a clock snapshot, with
   * MONOTONIC at the same reading (0), so that a delta's sum is trace nanoseconds. The global
   * sequence's snapshot also makes MONOTONIC the trace clock and gives BOOTTIME the same reading,
   * so that a reader that keeps BOOTTIME as its trace clock still maps every timestamp one to
   * one. (Perfetto's trace_processor: {@code ProtoTraceReader::ParsePacket} handles the cleared
   * flag, then the defaults, then the snapshot, in that order, in one packet;
   * {@code ClockSynchronizer::AddSnapshot} sets an incremental clock's last reading to the
   * snapshot's, and {@code ClockSynchronizer::ClockDomain::ToNs} adds each delta to it.)
   */
  private void start(PerfettoSequence seq) throws IOException {
    seq.clock = 0;
    ProtoScratch p = packet;
    p.writeUInt32(PACKET_SEQUENCE_ID, seq.id);
    p.writeUInt32(PACKET_SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
    inner.writeUInt32(DEFAULTS_TIMESTAMP_CLOCK_ID, SEQUENCE_CLOCK_ID);
    if (seq.track != 0) {
      entry.writeUInt64(TRACK_EVENT_DEFAULTS_TRACK_UUID, seq.track);
      entry.copyTo(inner, DEFAULTS_TRACK_EVENT_DEFAULTS);
    }
    inner.copyTo(p, PACKET_DEFAULTS);
    ProtoScratch c = clocks;
    entry.writeUInt32(CLOCK_ID, SEQUENCE_CLOCK_ID);
    entry.writeUInt64(CLOCK_TIMESTAMP, 0);
    entry.writeBool(CLOCK_IS_INCREMENTAL, true);
    entry.writeUInt64(CLOCK_UNIT_MULTIPLIER_NS, 1);
    entry.copyTo(c, CLOCK_SNAPSHOT_CLOCKS);
    entry.writeUInt32(CLOCK_ID, BUILTIN_CLOCK_MONOTONIC);
    entry.writeUInt64(CLOCK_TIMESTAMP, 0);
    entry.copyTo(c, CLOCK_SNAPSHOT_CLOCKS);
    if (seq == global) {
      entry.writeUInt32(CLOCK_ID, BUILTIN_CLOCK_BOOTTIME);
      entry.writeUInt64(CLOCK_TIMESTAMP, 0);
      entry.copyTo(c, CLOCK_SNAPSHOT_CLOCKS);
      c.writeEnum(CLOCK_SNAPSHOT_PRIMARY_TRACE_CLOCK, BUILTIN_CLOCK_MONOTONIC);
    }
    clocks.copyTo(p, PACKET_CLOCK_SNAPSHOT);
    emitPacket();
  }

  /** The sequence whose default track is {@code track}, started. */
  private PerfettoSequence sequence(long track) throws IOException {
    PerfettoSequence seq = sequences.get(track);
    if (seq == null) {
      seq = new PerfettoSequence(nextSequence++, track);
      sequences.put(track, seq);
      start(seq);
    }
    return seq;
  }

  /** The thread's sequence of instants and unnested slices, started. */
  private PerfettoSequence instantSequence(int thread) throws IOException {
    PerfettoSequence seq = instantSequences.get(thread);
    if (seq == null) {
      seq = new PerfettoSequence(nextSequence++, threadTrack(thread));
      instantSequences.put(thread, seq);
      start(seq);
    }
    return seq;
  }

  private void writeProcessAndThreads() throws IOException {
    inner.writeInt32(PROCESS_PID, PID);
    inner.writeString(PROCESS_NAME, "kallisto");
    body.writeUInt64(TRACK_UUID, PROCESS_UUID);
    inner.copyTo(body, TRACK_PROCESS);
    writeDescriptor();
    for (Map.Entry<Integer, String> t : trace.threads().entrySet()) {
      inner.writeInt32(THREAD_PID, PID);
      inner.writeInt64(THREAD_TID, TID_BASE + t.getKey());
      inner.writeString(THREAD_NAME, t.getValue());
      body.writeUInt64(TRACK_UUID, threadTrack(t.getKey()));
      body.writeUInt64(TRACK_PARENT_UUID, PROCESS_UUID);
      inner.copyTo(body, TRACK_THREAD);
      writeDescriptor();
    }
  }

  /** A child track of {@code parent}, named; a counter track if {@code counter}. */
  private long childTrack(long parent, String name, boolean counter) throws IOException {
    long uuid = nextUuid++;
    body.writeUInt64(TRACK_UUID, uuid);
    body.writeUInt64(TRACK_PARENT_UUID, parent);
    body.writeString(TRACK_NAME, name);
    if (counter) {
      inner.writeEnum(COUNTER_UNIT, UNIT_COUNT);
      inner.copyTo(body, TRACK_COUNTER);
    }
    writeDescriptor();
    return uuid;
  }

  /** A track descriptor, on the global sequence; it needs none of its state. */
  private void writeDescriptor() throws IOException {
    packet.writeUInt32(PACKET_SEQUENCE_ID, SEQUENCE_ID);
    body.copyTo(packet, PACKET_TRACK_DESCRIPTOR);
    emitPacket();
  }

  /** The header's facts, as annotations of an instant on the process track. */
  private void writeFacts() throws IOException {
    startEvent(global, PROCESS_UUID, TYPE_INSTANT, "kallisto trace", "metadata");
    for (Map.Entry<String, String> f : trace.header().entrySet()) {
      annotate(f.getKey(), f.getValue());
    }
    annotate("trace.clock", trace.virtualClock() ? "virtual (simulated run)" : "monotonic");
    Path name = trace.path() == null ? null : trace.path().getFileName();
    annotate("trace.file", String.valueOf(name));
    annotate("trace.version", trace.version());
    annotate("trace.events", trace.eventCount());
    if (trace.damage() != null) {
      annotate("trace.damage", trace.damage().toString());
    }
    annotate("trace.header.checked", trace.headerChecked());
    if (trace.end() != null) {
      annotate("trace.end", trace.end().describe());
      annotate("trace.end.time.ns", trace.end().time());
    }
    if (windowed()) {
      annotate("export.from.ns", from);
      annotate("export.to.ns", to);
    }
    emitEvent(global, origin, false);
  }

  private long threadTrack(int thread) {
    return 2 + (long) thread;
  }

  private long counterTrack(int thread, String name) {
    String key = thread + "/" + name;
    Long uuid = counterTracks.get(key);
    if (uuid == null) {
      uuid = ExportOutput.orThrow(() -> childTrack(thread < 0 ? PROCESS_UUID : threadTrack(thread), name,
          true));
      counterTracks.put(key, uuid);
    }
    return uuid;
  }

  // ---- slices --------------------------------------------------------------------------------

  /**
   * A slice that nests, on its thread's slice sequence: slices leave {@link SliceOrder} in
   * start order and ends are written as time reaches them, so the sequence is in time order.
   */
  private void writeNested(ExportSlice s) throws IOException {
    OpenSlices stack = open.computeIfAbsent(s.thread(), t -> new OpenSlices());
    long track = threadTrack(s.thread());
    if (stack.seq == null) {
      stack.seq = sequence(track);
    }
    closeUntil(s.thread(), stack, s.start());
    PerfettoSequence seq = stack.seq;
    if (s.kind() == ExportSlice.Kind.POINT) {
      writeInstant(s.event(), seq, track);
      return;
    }
    writeBegin(s, seq, track);
    if (stack.size == stack.ends.length) {
      stack.ends = java.util.Arrays.copyOf(stack.ends, stack.size * 2);
    }
    stack.ends[stack.size++] = s.end();
  }

  /** Ends every open slice of the thread that ends at or before {@code time}, innermost first. */
  private void closeUntil(int thread, OpenSlices stack, long time) throws IOException {
    while (stack.size > 0 && stack.ends[stack.size - 1] <= time) {
      writeEnd(stack.seq, threadTrack(thread), stack.ends[--stack.size], false);
    }
  }

  /**
   * A slice that would not nest: a track of its own under its thread, begin and end, on the
   * thread's instant sequence; the end is written ahead of that sequence's time, so absolute.
   */
  private void writeUnnested(ExportSlice s) throws IOException {
    unnested++;
    PerfettoSequence seq = instantSequence(s.thread());
    if (s.kind() == ExportSlice.Kind.POINT) {
      writeInstant(s.event(), seq, threadTrack(s.thread()));
      return;
    }
    long track = childTrack(threadTrack(s.thread()), sliceName(s), false);
    writeBegin(s, seq, track);
    writeEnd(seq, track, s.end(), true);
  }

  private void writeBegin(ExportSlice s, PerfettoSequence seq, long track) throws IOException {
    TraceEvent e = s.event();
    if (s.kind() == ExportSlice.Kind.REQUEST) {
      startEvent(seq, track, TYPE_SLICE_BEGIN, sliceName(s), "request");
      annotateInterned("kind", ExportStream.requestKind(e.small()));
      annotate("request", e.a());
      annotate("connection", e.b());
      annotate("latency_ns", s.end() - s.start());
      emitEvent(seq, s.start(), false);
      return;
    }
    startEvent(seq, track, TYPE_SLICE_BEGIN, sliceName(s), e.type().label());
    CallbackKind kind = e.callbackKind();
    if (kind != null) {
      annotateInterned("kind", kind.label());
      switch (kind) {
        case TIMER:
          annotate("deadline_ns", e.b() - origin);
          annotate("lateness_ns", e.time() - e.b());
          break;
        case FILE_EVENT:
          annotate("fd", e.b());
          annotate("events", e.small());
          break;
        case POST:
          if (flows.postMatched(e.b())) {
            body.writeFixed64(EVENT_TERMINATING_FLOW_IDS, postFlow(e.b()));
            arrows++;
          }
          break;
        case SLOT_UPDATE:
          if (flows.slotMatched(e.b())) {
            body.writeFixed64(EVENT_FLOW_IDS, slotFlow(e.b()));
            arrows++;
          }
          break;
        default:
          break;
      }
    } else if (e.type() == EventType.POLL) {
      annotate("blocking", e.kind() == 1);
    }
    emitEvent(seq, s.start(), false);
  }

  /**
   * A slice end: no name and no category (trace_processor's {@code ParseThreadEndEvent}, in
   * track_event_event_importer.h, calls {@code SliceTracker::End}, whose
   * {@code MatchingIncompleteSliceIndex} takes a null name or category as matching the track's
   * innermost open slice) and, on the default track, no track.
   */
  private void writeEnd(PerfettoSequence seq, long track, long time, boolean ahead)
      throws IOException {
    ProtoScratch b = body;
    b.writeEnum(EVENT_TYPE, TYPE_SLICE_END);
    writeTrack(b, seq, track);
    emitEvent(seq, time, ahead);
  }

  /**
   * A client's request, on the first of its thread's request tracks that is free by then; each
   * track is a sequence of its own, on which a request begins no earlier than the last ended.
   */
  private void writeClientRequest(TraceEvent begin, TraceEvent end) throws IOException {
    long[] lanes = clientLanes.getOrDefault(begin.thread(), new long[0]);
    long track = 0;
    for (int i = 0; i < lanes.length; i += 2) {
      if (lanes[i + 1] <= begin.time()) {
        track = lanes[i];
        lanes[i + 1] = end.time();
        break;
      }
    }
    if (track == 0) {
      track = childTrack(threadTrack(begin.thread()), "requests", false);
      lanes = java.util.Arrays.copyOf(lanes, lanes.length + 2);
      lanes[lanes.length - 2] = track;
      lanes[lanes.length - 1] = end.time();
      clientLanes.put(begin.thread(), lanes);
    }
    PerfettoSequence seq = sequence(track);
    startEvent(seq, track, TYPE_SLICE_BEGIN, "request", "request");
    annotate("request", begin.a());
    annotate("connection", begin.b());
    annotate("latency_ns", end.time() - begin.time());
    emitEvent(seq, begin.time(), false);
    writeEnd(seq, track, end.time(), false);
  }

  // ---- instants and counters -----------------------------------------------------------------

  private void writeInstant(TraceEvent e, PerfettoSequence seq, long track) throws IOException {
    String name = e.type() == EventType.MARK ? e.label() : e.type().label();
    startEvent(seq, track, TYPE_INSTANT, name, e.type().label());
    switch (e.type()) {
      case POST:
        annotate("target_dispatcher", e.id());
        annotate("woke_loop", e.kind() == 1);
        if (flows.postMatched(e.b())) {
          body.writeFixed64(EVENT_FLOW_IDS, postFlow(e.b()));
        }
        break;
      case SLOT_SET:
      case SLOT_COMPLETE:
        annotate("slot", e.id());
        if (flows.slotMatched(e.b())) {
          boolean last = e.type() == EventType.SLOT_COMPLETE;
          body.writeFixed64(last ? EVENT_TERMINATING_FLOW_IDS : EVENT_FLOW_IDS,
              slotFlow(e.b()));
          if (last) {
            arrows++;
          }
        }
        break;
      case TIMER_ARM:
        annotate("timer", e.id());
        annotate("rearm", e.kind() == 1);
        annotate("deadline_ns", e.a() - origin);
        break;
      case TIMER_DISABLE:
        annotate("timer", e.id());
        break;
      case TIMERFD_ARM:
        annotate("deadline_ns", e.a() - origin);
        break;
      case CONNECTION_OPEN:
      case CONNECTION_CLOSE:
        annotate("connection", e.a());
        annotate("client", e.kind() == 1);
        break;
      case REQUEST_BEGIN:
      case REQUEST_END:
        annotate("request", e.a());
        annotate("connection", e.b());
        break;
      case WATCHDOG:
        annotate("dispatcher", e.label());
        annotate("mega_miss", e.kind() == 1);
        annotate("stalled_ns", e.a());
        break;
      default:
        break;
    }
    emitEvent(seq, e.time(), false);
  }

  /** A counter sample, on the counter track's own sequence: type and value only. */
  private void writeCounter(long track, long time, long value) throws IOException {
    PerfettoSequence seq = sequence(track);
    ProtoScratch b = body;
    b.writeEnum(EVENT_TYPE, TYPE_COUNTER);
    b.writeInt64(EVENT_COUNTER_VALUE, value);
    emitEvent(seq, time, false);
  }

  // ---- track events and interning ------------------------------------------------------------

  private void startEvent(PerfettoSequence seq, long track, int type, String name,
      String category) throws IOException {
    current = seq;
    ProtoScratch b = body;
    b.writeEnum(EVENT_TYPE, type);
    writeTrack(b, seq, track);
    b.writeUInt64(EVENT_NAME_IID, intern(seq.names, name, INTERNED_EVENT_NAMES));
    b.writeUInt64(EVENT_CATEGORY_IIDS,
        intern(seq.categories, category, INTERNED_EVENT_CATEGORIES));
  }

  /**
   * The event's track, unless it is the sequence's default (Perfetto takes the default when
   * the event has none: {@code ParseInitialTrackAssociation} in
   * track_event_event_importer.h).
   */
  private static void writeTrack(ProtoScratch b, PerfettoSequence seq, long track) {
    if (track != seq.track) {
      b.writeUInt64(EVENT_TRACK_UUID, track);
    }
  }

  private void annotate(String key, long value) throws IOException {
    annotationName(key);
    inner.writeInt64(ANNOTATION_INT, value);
    inner.copyTo(body, EVENT_DEBUG_ANNOTATIONS);
  }

  private void annotate(String key, boolean value) throws IOException {
    annotationName(key);
    inner.writeBool(ANNOTATION_BOOL, value);
    inner.copyTo(body, EVENT_DEBUG_ANNOTATIONS);
  }

  private void annotate(String key, String value) throws IOException {
    annotationName(key);
    inner.writeString(ANNOTATION_STRING, value);
    inner.copyTo(body, EVENT_DEBUG_ANNOTATIONS);
  }

  /** A string value from a small set (a kind), interned like the names. */
  private void annotateInterned(String key, String value) throws IOException {
    annotationName(key);
    inner.writeUInt64(ANNOTATION_STRING_IID, intern(current.annotationValues, value,
        INTERNED_DEBUG_ANNOTATION_STRING_VALUES));
    inner.copyTo(body, EVENT_DEBUG_ANNOTATIONS);
  }

  private void annotationName(String key) throws IOException {
    inner.writeUInt64(ANNOTATION_NAME_IID,
        intern(current.annotationNames, key, INTERNED_DEBUG_ANNOTATION_NAMES));
  }

  /**
   * The iid of {@code text} in {@code table}; a new one is added to the interned data of the
   * packet being built, so that it is defined where it is first used.
   */
  private long intern(Map<String, Long> table, String text, int field) throws IOException {
    Long iid = table.get(text);
    if (iid == null) {
      iid = (long) table.size() + 1;
      table.put(text, iid);
      entry.writeUInt64(INTERNED_IID, iid);
      entry.writeString(INTERNED_NAME, text);
      entry.copyTo(interned, field);
    }
    return iid;
  }

  /**
   * Wraps the track event built in {@code body} into a packet of {@code seq} at {@code time}:
   * a delta on the sequence's incremental clock, or, for an event behind that clock or written
   * {@code ahead} of it, the absolute time on MONOTONIC, which leaves the incremental clock
   * where it was ({@code ProtoTraceReader::TimestampTokenizeAndPushToSorter} takes the packet's
   * own {@code timestamp_clock_id} over the sequence's default).
   */
  private void emitEvent(PerfettoSequence seq, long time, boolean ahead) throws IOException {
    ProtoScratch p = packet;
    if (!ahead && time >= seq.clock) {
      p.writeUInt64(PACKET_TIMESTAMP, time - seq.clock);
      seq.clock = time;
    } else {
      p.writeUInt64(PACKET_TIMESTAMP, time);
      p.writeUInt32(PACKET_TIMESTAMP_CLOCK_ID, BUILTIN_CLOCK_MONOTONIC);
    }
    p.writeUInt32(PACKET_SEQUENCE_ID, seq.id);
    p.writeUInt32(PACKET_SEQUENCE_FLAGS, SEQ_NEEDS_INCREMENTAL_STATE);
    body.copyTo(p, PACKET_TRACK_EVENT);
    if (!interned.isEmpty()) {
      interned.copyTo(p, PACKET_INTERNED_DATA);
    }
    emitPacket();
  }

  private void emitPacket() throws IOException {
    if (bundles != null) {
      packet.copyTo(bundles.bundle(), TRACE_PACKET);
      bundles.packetWritten();
    } else {
      packet.copyTo(out, TRACE_PACKET);
    }
    packetCount++;
  }

  /** Post and slot flows are numbered apart; the low bit keeps their ids apart. */
  static long postFlow(long flow) {
    return flow << 1;
  }

  static long slotFlow(long flow) {
    return flow << 1 | 1;
  }

  private static String sliceName(ExportSlice s) {
    TraceEvent e = s.event();
    if (s.kind() == ExportSlice.Kind.REQUEST) {
      return ExportStream.requestKind(e.small()) + " request";
    }
    switch (e.type()) {
      case POLL:
        return "poll (idle)";
      case WORK:
        return "work";
      default:
        return e.label();
    }
  }
}
