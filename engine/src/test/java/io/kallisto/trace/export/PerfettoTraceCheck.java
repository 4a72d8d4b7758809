package io.kallisto.trace.export;

import static io.kallisto.trace.export.PerfettoTraceDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.kallisto.trace.EventType;
import io.kallisto.trace.TraceFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a Perfetto export with protobuf-java's {@link CodedInputStream} and the field numbers
 * of {@link PerfettoTraceDescriptor} (read independently of the writer: field by field, skipping
 * what it does not know), resolving per packet sequence what Perfetto's trace_processor
 * resolves ({@code ProtoTraceReader::ParsePacket}, in its order: a cleared state, then the
 * defaults, then interned data, then a clock snapshot): interned names, the default track, the
 * default clock, and incremental clocks (a packet's timestamp on one is a delta from the
 * sequence's last, {@code ClockSynchronizer::ClockDomain::ToNs}), converted to the trace clock
 * through the sequence's clock snapshot. Then it checks what issue 18 asks of the export.
 */
public final class PerfettoTraceCheck {
  /** One decoded track event. */
  public static final class Event {
    public long time = -1;
    public int type;
    public long track;
    public int sequence;
    public String name;
    public String category;
    public final List<Long> flows = new ArrayList<>();
    public final List<Long> terminating = new ArrayList<>();
    public final Map<String, Object> annotations = new HashMap<>();
    public Long counter;
  }

  /** One decoded track descriptor. */
  public static final class Track {
    public long uuid;
    public long parent;
    public String name;
    public String threadName;
    public long tid = -1;
    public String processName;
    public boolean counter;
  }

  /** A clock as a sequence's snapshot declares it. */
  private static final class Clock {
    long reading;
    long unit = 1;
    boolean incremental;
    /** Its reading in the snapshot. */
    long snapshot;
    /** The trace clock's reading in the same snapshot. */
    long traceReading;
  }

  /** What a reader keeps per packet sequence; a cleared state starts a new one. */
  private static final class Sequence {
    boolean cleared;
    final Map<Long, String> names = new HashMap<>();
    final Map<Long, String> categories = new HashMap<>();
    final Map<Long, String> annotationNames = new HashMap<>();
    final Map<Long, String> annotationValues = new HashMap<>();
    final Map<Integer, Clock> clocks = new HashMap<>();
    int defaultClock;
    long defaultTrack;
  }

  public final List<Event> events = new ArrayList<>();
  public final Map<Long, Track> tracks = new HashMap<>();
  public int clockSnapshots;
  /** Packets that were {@code compressed_packets} bundles. */
  public int compressedBundles;
  public int primaryClock = -1;
  /** The default clock of each sequence that set defaults. */
  public final Set<Integer> defaultClocks = new HashSet<>();
  /** Packets timed as a delta on an incremental clock, and packets timed absolutely. */
  public long deltaTimes;
  public long absoluteTimes;
  /** Events that named no track and took their sequence's default. */
  public long defaultTracks;
  private final Map<Integer, Sequence> sequences = new HashMap<>();

  /** Decodes {@code file}, failing on an iid used before its definition. */
  public PerfettoTraceCheck(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream trace = CodedInputStream.newInstance(in);
      trace.setSizeLimit(Integer.MAX_VALUE);
      packets(trace, true);
    }
  }

  /** The packets of a Trace; a compressed bundle's packets are read in its place. */
  private void packets(CodedInputStream trace, boolean outer) throws IOException {
    while (!trace.isAtEnd()) {
      int tag = trace.readTag();
      assertEquals(TRACE_PACKET, WireFormat.getTagFieldNumber(tag), "Trace holds packets only");
      byte[] bytes = trace.readByteArray();
      byte[] bundle = compressedPackets(CodedInputStream.newInstance(bytes));
      if (bundle == null) {
        packet(CodedInputStream.newInstance(bytes));
      } else {
        assertTrue(outer, "a compressed bundle holds no compressed bundle");
        assertTrue(bytes.length + 4 < 512 * 1024, "a compressed packet is under 512 KB");
        compressedBundles++;
        packets(CodedInputStream.newInstance(inflate(bundle)), false);
      }
    }
  }

  /** The deflated bytes if the packet is only {@code compressed_packets}, else null. */
  private static byte[] compressedPackets(CodedInputStream p) throws IOException {
    byte[] bundle = null;
    boolean other = false;
    while (!p.isAtEnd()) {
      int tag = p.readTag();
      if (WireFormat.getTagFieldNumber(tag) == PACKET_COMPRESSED_PACKETS) {
        bundle = p.readByteArray();
      } else {
        other = true;
        p.skipField(tag);
      }
    }
    assertTrue(bundle == null || !other, "a compressed packet carries nothing else");
    return bundle;
  }

  /** Inflates a zlib stream, as trace_processor's GzipDecompressor does. */
  private static byte[] inflate(byte[] deflated) throws IOException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 6);
      byte[] buf = new byte[1 << 16];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          fail("a compressed bundle ends early");
        }
        out.write(buf, 0, n);
      }
      assertEquals(0, inflater.getRemaining(), "one zlib stream per bundle");
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IOException("a compressed bundle does not inflate", e);
    } finally {
      inflater.end();
    }
  }

  private void packet(CodedInputStream p) throws IOException {
    Long timestamp = null;
    int clockId = 0;
    byte[] event = null;
    byte[] internedData = null;
    byte[] defaults = null;
    byte[] snapshot = null;
    int id = -1;
    int flags = 0;
    while (!p.isAtEnd()) {
      int tag = p.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case PACKET_TIMESTAMP -> timestamp = p.readUInt64();
        case PACKET_TIMESTAMP_CLOCK_ID -> clockId = p.readUInt32();
        case PACKET_SEQUENCE_ID -> id = p.readUInt32();
        case PACKET_SEQUENCE_FLAGS -> flags = p.readUInt32();
        case PACKET_TRACK_EVENT -> event = p.readByteArray();
        case PACKET_INTERNED_DATA -> internedData = p.readByteArray();
        case PACKET_TRACK_DESCRIPTOR -> descriptor(CodedInputStream.newInstance(p.readByteArray()));
        case PACKET_CLOCK_SNAPSHOT -> snapshot = p.readByteArray();
        case PACKET_DEFAULTS -> defaults = p.readByteArray();
        default -> p.skipField(tag);
      }
    }
    assertTrue(id > 0, "every packet is on a trusted packet sequence");
    Sequence seq = sequences.computeIfAbsent(id, k -> new Sequence());
    if ((flags & SEQ_INCREMENTAL_STATE_CLEARED) != 0) {
      seq = new Sequence();
      seq.cleared = true;
      sequences.put(id, seq);
    }
    if (defaults != null) {
      assertTrue(seq.cleared, "defaults after the state was cleared");
      defaults(CodedInputStream.newInstance(defaults), seq);
    }
    if (internedData != null) {
      assertTrue(seq.cleared, "interned data after the state was cleared");
      interned(CodedInputStream.newInstance(internedData), seq);
    }
    if (snapshot != null) {
      clock(CodedInputStream.newInstance(snapshot), seq);
    }
    if (event != null) {
      assertTrue(seq.cleared && (flags & SEQ_NEEDS_INCREMENTAL_STATE) != 0,
          "an event that uses interned names says it needs the sequence's state");
      Event e = event(CodedInputStream.newInstance(event), seq);
      assertNotNull(timestamp, "every event has a timestamp");
      e.time = traceTime(seq, clockId != 0 ? clockId : seq.defaultClock, timestamp);
      e.sequence = id;
      events.add(e);
    }
  }

  /** {@code timestamp} on {@code clockId} as trace-clock nanoseconds. */
  private long traceTime(Sequence seq, int clockId, long timestamp) {
    if (clockId == primaryClock) {
      absoluteTimes++;
      return timestamp;
    }
    Clock clock = seq.clocks.get(clockId);
    assertNotNull(clock, "clock " + clockId + " is declared on the sequence before it is used");
    long ns;
    if (clock.incremental) {
      clock.reading += timestamp * clock.unit;
      ns = clock.reading;
      deltaTimes++;
    } else {
      ns = timestamp * clock.unit;
      absoluteTimes++;
    }
    return ns - clock.snapshot + clock.traceReading;
  }

  private void interned(CodedInputStream in, Sequence seq) throws IOException {
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      Map<Long, String> table = switch (WireFormat.getTagFieldNumber(tag)) {
        case INTERNED_EVENT_NAMES -> seq.names;
        case INTERNED_EVENT_CATEGORIES -> seq.categories;
        case INTERNED_DEBUG_ANNOTATION_NAMES -> seq.annotationNames;
        case INTERNED_DEBUG_ANNOTATION_STRING_VALUES -> seq.annotationValues;
        default -> null;
      };
      if (table == null) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream entry = CodedInputStream.newInstance(in.readByteArray());
      long iid = 0;
      String name = null;
      while (!entry.isAtEnd()) {
        int t = entry.readTag();
        switch (WireFormat.getTagFieldNumber(t)) {
          case INTERNED_IID -> iid = entry.readUInt64();
          case INTERNED_NAME -> name = entry.readString();
          default -> entry.skipField(t);
        }
      }
      assertTrue(iid > 0 && name != null, "an interned entry has an iid and a name");
      String before = table.put(iid, name);
      assertTrue(before == null || before.equals(name), "iid " + iid + " redefined");
    }
  }

  private Event event(CodedInputStream in, Sequence seq) throws IOException {
    Event e = new Event();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case EVENT_TYPE -> e.type = in.readEnum();
        case EVENT_TRACK_UUID -> e.track = in.readUInt64();
        case EVENT_NAME_IID -> e.name = resolve(seq.names, in.readUInt64(), "event name");
        case EVENT_CATEGORY_IIDS -> e.category = resolve(seq.categories, in.readUInt64(),
            "category");
        case EVENT_COUNTER_VALUE -> e.counter = in.readInt64();
        case EVENT_FLOW_IDS -> e.flows.add(in.readFixed64());
        case EVENT_TERMINATING_FLOW_IDS -> e.terminating.add(in.readFixed64());
        case EVENT_DEBUG_ANNOTATIONS -> annotation(CodedInputStream.newInstance(in.readByteArray()),
            e, seq);
        default -> in.skipField(tag);
      }
    }
    if (e.track == 0) {
      assertTrue(seq.defaultTrack != 0, "an event that names no track has a default one");
      e.track = seq.defaultTrack;
      defaultTracks++;
    }
    return e;
  }

  private void annotation(CodedInputStream in, Event e, Sequence seq) throws IOException {
    String name = null;
    Object value = null;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case ANNOTATION_NAME_IID -> name = resolve(seq.annotationNames, in.readUInt64(),
            "annotation");
        case ANNOTATION_NAME -> name = in.readString();
        case ANNOTATION_INT -> value = in.readInt64();
        case ANNOTATION_BOOL -> value = in.readBool();
        case ANNOTATION_STRING -> value = in.readString();
        case ANNOTATION_STRING_IID -> value = resolve(seq.annotationValues, in.readUInt64(),
            "annotation value");
        default -> in.skipField(tag);
      }
    }
    assertNotNull(name, "an annotation has a name");
    e.annotations.put(name, value);
  }

  private static String resolve(Map<Long, String> table, long iid, String what) {
    String s = table.get(iid);
    if (s == null) {
      fail(what + " iid " + iid + " is used before it is interned");
    }
    return s;
  }

  private void descriptor(CodedInputStream in) throws IOException {
    Track t = new Track();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case TRACK_UUID -> t.uuid = in.readUInt64();
        case TRACK_PARENT_UUID -> t.parent = in.readUInt64();
        case TRACK_NAME -> t.name = in.readString();
        case TRACK_COUNTER -> {
          in.skipField(tag);
          t.counter = true;
        }
        case TRACK_THREAD -> {
          CodedInputStream d = CodedInputStream.newInstance(in.readByteArray());
          while (!d.isAtEnd()) {
            int x = d.readTag();
            switch (WireFormat.getTagFieldNumber(x)) {
              case THREAD_TID -> t.tid = d.readInt64();
              case THREAD_NAME -> t.threadName = d.readString();
              default -> d.skipField(x);
            }
          }
        }
        case TRACK_PROCESS -> {
          CodedInputStream d = CodedInputStream.newInstance(in.readByteArray());
          while (!d.isAtEnd()) {
            int x = d.readTag();
            if (WireFormat.getTagFieldNumber(x) == PROCESS_NAME) {
              t.processName = d.readString();
            } else {
              d.skipField(x);
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
    assertTrue(t.uuid != 0, "a track has a uuid");
    assertTrue(tracks.put(t.uuid, t) == null, "track " + t.uuid + " described once");
  }

  /** A clock snapshot: each clock's reading against the trace clock's in the same snapshot. */
  private void clock(CodedInputStream in, Sequence seq) throws IOException {
    clockSnapshots++;
    Map<Integer, Clock> byId = new HashMap<>();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case CLOCK_SNAPSHOT_PRIMARY_TRACE_CLOCK -> {
          assertEquals(-1, primaryClock, "one snapshot names the trace clock");
          primaryClock = in.readEnum();
        }
        case CLOCK_SNAPSHOT_CLOCKS -> {
          CodedInputStream c = CodedInputStream.newInstance(in.readByteArray());
          Clock clock = new Clock();
          int id = 0;
          while (!c.isAtEnd()) {
            int t = c.readTag();
            switch (WireFormat.getTagFieldNumber(t)) {
              case CLOCK_ID -> id = c.readUInt32();
              case CLOCK_TIMESTAMP -> clock.reading = c.readUInt64();
              case CLOCK_IS_INCREMENTAL -> clock.incremental = c.readBool();
              case CLOCK_UNIT_MULTIPLIER_NS -> clock.unit = c.readUInt64();
              default -> c.skipField(t);
            }
          }
          assertTrue(!clock.incremental || id >= SEQUENCE_CLOCK_ID && id < 128,
              "only sequence-scoped clocks are incremental");
          clock.reading *= clock.unit;
          clock.snapshot = clock.reading;
          byId.put(id, clock);
        }
        default -> in.skipField(tag);
      }
    }
    Clock trace = byId.get(BUILTIN_CLOCK_MONOTONIC);
    assertNotNull(trace, "every snapshot reads the trace clock (MONOTONIC)");
    for (Map.Entry<Integer, Clock> c : byId.entrySet()) {
      c.getValue().traceReading = trace.reading;
      if (c.getKey() >= SEQUENCE_CLOCK_ID) {
        seq.clocks.put(c.getKey(), c.getValue());
      }
    }
  }

  private void defaults(CodedInputStream in, Sequence seq) throws IOException {
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case DEFAULTS_TIMESTAMP_CLOCK_ID -> {
          seq.defaultClock = in.readUInt32();
          defaultClocks.add(seq.defaultClock);
        }
        case DEFAULTS_TRACK_EVENT_DEFAULTS -> {
          CodedInputStream d = CodedInputStream.newInstance(in.readByteArray());
          while (!d.isAtEnd()) {
            int t = d.readTag();
            if (WireFormat.getTagFieldNumber(t) == TRACK_EVENT_DEFAULTS_TRACK_UUID) {
              seq.defaultTrack = d.readUInt64();
            } else {
              d.skipField(t);
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  /**
   * Every event is on a described track, and timestamps resolve to the one declared trace
   * clock: each sequence's default is its incremental clock, which carries most of them.
   */
  public void everyEventIsOnADescribedTrackAndClock() {
    assertEquals(sequences.size(), clockSnapshots, "one clock snapshot per sequence");
    assertEquals(BUILTIN_CLOCK_MONOTONIC, primaryClock);
    assertEquals(Set.of(SEQUENCE_CLOCK_ID), defaultClocks);
    assertTrue(deltaTimes > absoluteTimes, deltaTimes + " delta timestamps, " + absoluteTimes
        + " absolute");
    assertTrue(defaultTracks > 0, "events take their sequence's default track");
    for (Event e : events) {
      assertTrue(tracks.containsKey(e.track), "track " + e.track + " is described");
      assertTrue(e.time >= 0, "every event has a timestamp");
    }
  }

  /**
   * Every slice begin has its end on the same track, properly nested, once each track's events
   * are put in time order as a reader sorts them (stable for equal times).
   */
  public long everyBeginHasItsEndOnItsTrack() {
    Map<Long, List<Event>> byTrack = new HashMap<>();
    for (Event e : events) {
      if (e.type == TYPE_SLICE_BEGIN || e.type == TYPE_SLICE_END) {
        byTrack.computeIfAbsent(e.track, k -> new ArrayList<>()).add(e);
      }
    }
    long slices = 0;
    for (Map.Entry<Long, List<Event>> t : byTrack.entrySet()) {
      List<Event> sorted = new ArrayList<>(t.getValue());
      sorted.sort(Comparator.comparingLong(e -> e.time));
      Deque<Event> open = new ArrayDeque<>();
      for (Event e : sorted) {
        if (e.type == TYPE_SLICE_BEGIN) {
          open.push(e);
          slices++;
        } else {
          assertFalse(open.isEmpty(), "an end with no open slice on track " + t.getKey()
              + " at " + e.time);
          open.pop();
        }
      }
      assertTrue(open.isEmpty(), open.size() + " slices never end on track " + t.getKey());
    }
    return slices;
  }

  /**
   * Every flow id appears at both ends: each id that starts or passes through an event reaches
   * a later one, and each terminating id was started. Returns the number of flows.
   */
  public int everyFlowHasBothEnds() {
    Map<Long, Integer> starts = new HashMap<>();
    Set<Long> ends = new HashSet<>();
    for (Event e : events) {
      e.flows.forEach(f -> starts.merge(f, 1, Integer::sum));
      ends.addAll(e.terminating);
    }
    for (long end : ends) {
      assertTrue(starts.containsKey(end), "flow " + end + " ends but never starts");
    }
    starts.forEach((f, n) -> assertTrue(n >= 2 || ends.contains(f),
        "flow " + f + " starts but reaches nothing"));
    return starts.size();
  }

  /**
   * Every slice record of {@code trace} (poll, work, callback, span) begins in the export at its
   * record's start, to the nanosecond, and the facts instant sits at the trace's first event:
   * the timestamps resolved through defaults and incremental clocks are the trace's own.
   * Returns the number of slice begins compared.
   */
  public long sliceBeginsAreAtTheirRecordsStarts(TraceFile trace) {
    Set<String> labels = Set.of(EventType.POLL.label(), EventType.WORK.label(),
        EventType.CALLBACK.label(), EventType.SPAN.label());
    Map<String, List<Long>> expected = new HashMap<>();
    trace.forEach(r -> {
      if (labels.contains(r.type().label())) {
        expected.computeIfAbsent(r.type().label(), k -> new ArrayList<>()).add(r.time());
      }
    });
    Map<String, List<Long>> actual = new HashMap<>();
    for (Event e : events) {
      if (e.type == TYPE_SLICE_BEGIN && labels.contains(e.category)) {
        actual.computeIfAbsent(e.category, k -> new ArrayList<>()).add(e.time);
      }
      assertTrue(e.time >= trace.firstTime(), "event at " + e.time
          + " before the trace's first event");
    }
    long compared = 0;
    for (String label : labels) {
      List<Long> want = expected.getOrDefault(label, new ArrayList<>());
      List<Long> got = actual.getOrDefault(label, new ArrayList<>());
      want.sort(null);
      got.sort(null);
      assertEquals(want.size(), got.size(), label + " slices exported");
      for (int i = 0; i < want.size(); i++) {
        long w = want.get(i);
        long g = got.get(i);
        assertEquals(w, g, () -> label + " slices begin where their records start");
      }
      compared += got.size();
    }
    assertEquals(trace.firstTime(), events.get(0).time, "the facts instant is at the start");
    return compared;
  }

  /**
   * Each event as a line (time, type, track, name, category, flows, annotations, counter) and
   * each track, in file order: what two exports that mean the same trace agree on, however
   * their packets are laid out.
   */
  public List<String> asText() {
    List<String> lines = new ArrayList<>();
    for (Event e : events) {
      lines.add(e.time + " " + e.type + " " + e.track + " " + e.name + " " + e.category + " "
          + e.flows + " " + e.terminating + " " + new java.util.TreeMap<>(e.annotations) + " "
          + e.counter);
    }
    tracks.values().stream().sorted(Comparator.comparingLong(t -> t.uuid))
        .forEach(t -> lines.add("track " + t.uuid + " " + t.parent + " " + t.name + " "
            + t.threadName + " " + t.tid + " " + t.processName + " " + t.counter));
    return lines;
  }

  /** Thread names by tid - TID_BASE, as the thread tracks carry them. */
  public Map<Integer, String> threadNames() {
    Map<Integer, String> threads = new HashMap<>();
    for (Track t : tracks.values()) {
      if (t.threadName != null) {
        threads.put((int) (t.tid - PerfettoTraceExporter.TID_BASE), t.threadName);
      }
    }
    return threads;
  }

  /**
   * Events per trace event type, read back from the categories (each the type's label): a
   * request slice stands for its begin and end records, a counter sample on a thread's counter
   * track for one counter record.
   */
  public Map<EventType, Long> countsByType() {
    Map<String, EventType> byLabel = new HashMap<>();
    for (EventType t : EventType.values()) {
      byLabel.put(t.label(), t);
    }
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    for (Event e : events) {
      if (e.type == TYPE_COUNTER) {
        Track track = tracks.get(e.track);
        if (track.parent != PerfettoTraceExporter.PROCESS_UUID) {
          counts.merge(EventType.COUNTER, 1L, Long::sum); // derived ones are the process's
        }
      } else if (e.type != TYPE_SLICE_END && "request".equals(e.category)) {
        counts.merge(EventType.REQUEST_BEGIN, 1L, Long::sum);
        counts.merge(EventType.REQUEST_END, 1L, Long::sum);
      } else if (e.type != TYPE_SLICE_END && byLabel.containsKey(e.category)) {
        counts.merge(byLabel.get(e.category), 1L, Long::sum);
      }
    }
    return counts;
  }
}
