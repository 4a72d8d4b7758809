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
 * <p>Times are the trace's integer nanoseconds on one clock, declared by a clock snapshot as
 * the trace clock (MONOTONIC; a simulated run's virtual time is written the same way and says
 * so in the facts). Names, categories and annotation names are interned on the one packet
 * sequence, so each string is written once. Events stream in two passes
 * ({@link ExportStream}); the output is written through a buffer. Not reentrant.
 */
public final class PerfettoTraceExporter extends TraceExporter {
  /** The one packet sequence, which owns the interning tables. */
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
  private final Map<String, Long> names = new HashMap<>();
  private final Map<String, Long> categories = new HashMap<>();
  private final Map<String, Long> annotationNames = new HashMap<>();
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
      ExportOutput.orThrow(() -> writeInstant(e, threadTrack(e.thread())));
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
  private CodedOutputStream out;
  private FlowMatch flows;
  private long nextUuid;
  private long packets;
  private long arrows;
  private long unnested;
  private boolean cleared;

  /** Stack of the open slices' ends on one thread track. */
  private static final class OpenSlices {
    long[] ends = new long[16];
    int size;
  }

  /** An exporter of the whole of {@code trace}, which the caller owns and closes. */
  public PerfettoTraceExporter(TraceFile trace) {
    this(trace, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * An exporter of the events of {@code trace} that overlap [{@code from}, {@code to}] (trace
   * nanoseconds); only the blocks that meet the window are read.
   */
  public PerfettoTraceExporter(TraceFile trace, long from, long to) {
    super(trace, from, to);
  }

  @Override
  ExportSummary write(OutputStream stream, ReadProgress progress, String target) {
    reset();
    ExportStream events = new ExportStream(trace, from, to);
    flows = events.flows();
    out = CodedOutputStream.newInstance(stream, 1 << 16);
    try {
      writeClock();
      writeProcessAndThreads();
      writeFacts();
      events.run(sink, progress);
      for (Map.Entry<Integer, OpenSlices> t : open.entrySet()) {
        closeUntil(t.getKey(), t.getValue(), Long.MAX_VALUE);
      }
      out.flush();
    } catch (IOException e) {
      throw ExportOutput.failure(target, e);
    } catch (ExportOutput.WriteFailure e) {
      throw ExportOutput.failure(target, e);
    } finally {
      out = null;
    }
    return new ExportSummary(packets, arrows, flows.unmatchedPosts(), unnested);
  }

  private void reset() {
    names.clear();
    categories.clear();
    annotationNames.clear();
    counterTracks.clear();
    clientLanes.clear();
    open.clear();
    int maxThread = trace.threads().keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    nextUuid = threadTrack(maxThread) + 1;
    packets = 0;
    arrows = 0;
    unnested = 0;
    cleared = false;
  }

  // ---- descriptors ---------------------------------------------------------------------------

  /**
   * Declares the trace's clock: its nanoseconds are MONOTONIC (System.nanoTime on Linux), made
   * the trace clock; BOOTTIME is given the same reading so that a reader that keeps BOOTTIME as
   * its trace clock still maps every timestamp one to one.
   */
  private void writeClock() throws IOException {
    CodedOutputStream c = body.out();
    for (int clock : new int[] {BUILTIN_CLOCK_MONOTONIC, BUILTIN_CLOCK_BOOTTIME}) {
      inner.out().writeUInt32(CLOCK_ID, clock);
      inner.out().writeUInt64(CLOCK_TIMESTAMP, origin);
      inner.copyTo(c, CLOCK_SNAPSHOT_CLOCKS);
    }
    c.writeEnum(CLOCK_SNAPSHOT_PRIMARY_TRACE_CLOCK, BUILTIN_CLOCK_MONOTONIC);
    CodedOutputStream p = packet.out();
    p.writeUInt32(PACKET_SEQUENCE_ID, SEQUENCE_ID);
    body.copyTo(p, PACKET_CLOCK_SNAPSHOT);
    emitPacket();
  }

  private void writeProcessAndThreads() throws IOException {
    inner.out().writeInt32(PROCESS_PID, PID);
    inner.out().writeString(PROCESS_NAME, "kallisto");
    body.out().writeUInt64(TRACK_UUID, PROCESS_UUID);
    inner.copyTo(body.out(), TRACK_PROCESS);
    writeDescriptor();
    for (Map.Entry<Integer, String> t : trace.threads().entrySet()) {
      inner.out().writeInt32(THREAD_PID, PID);
      inner.out().writeInt64(THREAD_TID, TID_BASE + t.getKey());
      inner.out().writeString(THREAD_NAME, t.getValue());
      body.out().writeUInt64(TRACK_UUID, threadTrack(t.getKey()));
      body.out().writeUInt64(TRACK_PARENT_UUID, PROCESS_UUID);
      inner.copyTo(body.out(), TRACK_THREAD);
      writeDescriptor();
    }
  }

  /** A child track of {@code parent}, named; a counter track if {@code counter}. */
  private long childTrack(long parent, String name, boolean counter) throws IOException {
    long uuid = nextUuid++;
    body.out().writeUInt64(TRACK_UUID, uuid);
    body.out().writeUInt64(TRACK_PARENT_UUID, parent);
    body.out().writeString(TRACK_NAME, name);
    if (counter) {
      inner.out().writeEnum(COUNTER_UNIT, UNIT_COUNT);
      inner.copyTo(body.out(), TRACK_COUNTER);
    }
    writeDescriptor();
    return uuid;
  }

  /**
   * The first packet carries the sequence's defaults and clears its incremental state; the
   * defaults name the clock of every later timestamp.
   */
  private void writeDescriptor() throws IOException {
    CodedOutputStream p = packet.out();
    p.writeUInt32(PACKET_SEQUENCE_ID, SEQUENCE_ID);
    sequenceFlags(p);
    body.copyTo(p, PACKET_TRACK_DESCRIPTOR);
    emitPacket();
  }

  private void sequenceFlags(CodedOutputStream p) throws IOException {
    if (!cleared) {
      cleared = true;
      p.writeUInt32(PACKET_SEQUENCE_FLAGS,
          SEQ_INCREMENTAL_STATE_CLEARED | SEQ_NEEDS_INCREMENTAL_STATE);
      inner.out().writeUInt32(DEFAULTS_TIMESTAMP_CLOCK_ID, BUILTIN_CLOCK_MONOTONIC);
      inner.copyTo(p, PACKET_DEFAULTS);
    } else {
      p.writeUInt32(PACKET_SEQUENCE_FLAGS, SEQ_NEEDS_INCREMENTAL_STATE);
    }
  }

  /** The header's facts, as annotations of an instant on the process track. */
  private void writeFacts() throws IOException {
    startEvent(PROCESS_UUID, TYPE_INSTANT, "kallisto trace", "metadata");
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
    emitEvent(origin);
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

  private void writeNested(ExportSlice s) throws IOException {
    OpenSlices stack = open.computeIfAbsent(s.thread(), t -> new OpenSlices());
    closeUntil(s.thread(), stack, s.start());
    long track = threadTrack(s.thread());
    if (s.kind() == ExportSlice.Kind.POINT) {
      writeInstant(s.event(), track);
      return;
    }
    writeBegin(s, track);
    if (stack.size == stack.ends.length) {
      stack.ends = java.util.Arrays.copyOf(stack.ends, stack.size * 2);
    }
    stack.ends[stack.size++] = s.end();
  }

  /** Ends every open slice of the thread that ends at or before {@code time}, innermost first. */
  private void closeUntil(int thread, OpenSlices stack, long time) throws IOException {
    while (stack.size > 0 && stack.ends[stack.size - 1] <= time) {
      writeEnd(threadTrack(thread), stack.ends[--stack.size]);
    }
  }

  /** A slice that would not nest: a track of its own under its thread, begin and end. */
  private void writeUnnested(ExportSlice s) throws IOException {
    unnested++;
    if (s.kind() == ExportSlice.Kind.POINT) {
      writeInstant(s.event(), threadTrack(s.thread()));
      return;
    }
    long track = childTrack(threadTrack(s.thread()), sliceName(s), false);
    writeBegin(s, track);
    writeEnd(track, s.end());
  }

  private void writeBegin(ExportSlice s, long track) throws IOException {
    TraceEvent e = s.event();
    if (s.kind() == ExportSlice.Kind.REQUEST) {
      startEvent(track, TYPE_SLICE_BEGIN, sliceName(s), "request");
      annotate("kind", ExportStream.requestKind(e.small()));
      annotate("request", e.a());
      annotate("connection", e.b());
      annotate("latency_ns", s.end() - s.start());
      emitEvent(s.start());
      return;
    }
    startEvent(track, TYPE_SLICE_BEGIN, sliceName(s), e.type().label());
    CallbackKind kind = e.callbackKind();
    if (kind != null) {
      annotate("kind", kind.label());
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
            body.out().writeFixed64(EVENT_TERMINATING_FLOW_IDS, postFlow(e.b()));
            arrows++;
          }
          break;
        case SLOT_UPDATE:
          if (flows.slotMatched(e.b())) {
            body.out().writeFixed64(EVENT_FLOW_IDS, slotFlow(e.b()));
            arrows++;
          }
          break;
        default:
          break;
      }
    } else if (e.type() == EventType.POLL) {
      annotate("blocking", e.kind() == 1);
    }
    emitEvent(s.start());
  }

  private void writeEnd(long track, long time) throws IOException {
    CodedOutputStream b = body.out();
    b.writeEnum(EVENT_TYPE, TYPE_SLICE_END);
    b.writeUInt64(EVENT_TRACK_UUID, track);
    emitEvent(time);
  }

  /** A client's request, on the first of its thread's request tracks that is free by then. */
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
    startEvent(track, TYPE_SLICE_BEGIN, "request", "request");
    annotate("request", begin.a());
    annotate("connection", begin.b());
    annotate("latency_ns", end.time() - begin.time());
    emitEvent(begin.time());
    writeEnd(track, end.time());
  }

  // ---- instants and counters -----------------------------------------------------------------

  private void writeInstant(TraceEvent e, long track) throws IOException {
    String name = e.type() == EventType.MARK ? e.label() : e.type().label();
    startEvent(track, TYPE_INSTANT, name, e.type().label());
    switch (e.type()) {
      case POST:
        annotate("target_dispatcher", e.id());
        annotate("woke_loop", e.kind() == 1);
        if (flows.postMatched(e.b())) {
          body.out().writeFixed64(EVENT_FLOW_IDS, postFlow(e.b()));
        }
        break;
      case SLOT_SET:
      case SLOT_COMPLETE:
        annotate("slot", e.id());
        if (flows.slotMatched(e.b())) {
          boolean last = e.type() == EventType.SLOT_COMPLETE;
          body.out().writeFixed64(last ? EVENT_TERMINATING_FLOW_IDS : EVENT_FLOW_IDS,
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
    emitEvent(e.time());
  }

  private void writeCounter(long track, long time, long value) throws IOException {
    CodedOutputStream b = body.out();
    b.writeEnum(EVENT_TYPE, TYPE_COUNTER);
    b.writeUInt64(EVENT_TRACK_UUID, track);
    b.writeInt64(EVENT_COUNTER_VALUE, value);
    emitEvent(time);
  }

  // ---- track events and interning ------------------------------------------------------------

  private void startEvent(long track, int type, String name, String category) throws IOException {
    CodedOutputStream b = body.out();
    b.writeEnum(EVENT_TYPE, type);
    b.writeUInt64(EVENT_TRACK_UUID, track);
    b.writeUInt64(EVENT_NAME_IID, intern(names, name, INTERNED_EVENT_NAMES));
    b.writeUInt64(EVENT_CATEGORY_IIDS, intern(categories, category, INTERNED_EVENT_CATEGORIES));
  }

  private void annotate(String key, long value) throws IOException {
    annotationName(key);
    inner.out().writeInt64(ANNOTATION_INT, value);
    inner.copyTo(body.out(), EVENT_DEBUG_ANNOTATIONS);
  }

  private void annotate(String key, boolean value) throws IOException {
    annotationName(key);
    inner.out().writeBool(ANNOTATION_BOOL, value);
    inner.copyTo(body.out(), EVENT_DEBUG_ANNOTATIONS);
  }

  private void annotate(String key, String value) throws IOException {
    annotationName(key);
    inner.out().writeString(ANNOTATION_STRING, value);
    inner.copyTo(body.out(), EVENT_DEBUG_ANNOTATIONS);
  }

  private void annotationName(String key) throws IOException {
    inner.out().writeUInt64(ANNOTATION_NAME_IID,
        intern(annotationNames, key, INTERNED_DEBUG_ANNOTATION_NAMES));
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
      entry.out().writeUInt64(INTERNED_IID, iid);
      entry.out().writeString(INTERNED_NAME, text);
      entry.copyTo(interned.out(), field);
    }
    return iid;
  }

  /** Wraps the track event built in {@code body} into a packet at {@code time}. */
  private void emitEvent(long time) throws IOException {
    CodedOutputStream p = packet.out();
    p.writeUInt64(PACKET_TIMESTAMP, time);
    p.writeUInt32(PACKET_SEQUENCE_ID, SEQUENCE_ID);
    sequenceFlags(p);
    body.copyTo(p, PACKET_TRACK_EVENT);
    if (!interned.isEmpty()) {
      interned.copyTo(p, PACKET_INTERNED_DATA);
    }
    emitPacket();
  }

  private void emitPacket() throws IOException {
    packet.copyTo(out, TRACE_PACKET);
    packets++;
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

  // ---- failures ------------------------------------------------------------------------------
}
